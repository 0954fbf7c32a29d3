/**
 * Eval: statistics you can trust (SciPy-checked tests, seeded bootstrap), versioned datasets,
 * metrics, prompt unit tests, A/B analysis, fine-tuning export, and the `eval` CLI command group.
 */
export * from './stats/index.js';
export * from './datasets/index.js';
export * from './metrics/index.js';
export * from './prompttests/index.js';
export { analyzeAB, type ABOptions, type ABResult, type TestOutcome, type SkippedTest, type FlakyCase } from './ab/analyzeAB.js';
export { exportFinetune, alpacaText, type FinetuneFormat, type FinetuneOptions } from './finetune/exportFinetune.js';
export { shouldFineTune, MIN_FINETUNE_CASES, type FineTuneAdvice } from './finetune/shouldFineTune.js';
// The lint zone `**/cli/**` targets electron/cli (the app layer); this is the service's own transport-free
// command function (same pattern as ledger's runLedgerCommand), so the import stays inside the service.
export { runEvalCommand, type EvalCommandOptions } from './cli/runEvalCommand.js';
export * from './store/index.js';
export * from './runs/index.js';
