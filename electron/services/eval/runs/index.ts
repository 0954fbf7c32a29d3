export { EvalRunner, type EvalProgress, type RunCaseOptions, type RunOptions } from './EvalRunner.js';
export type { EvalModel, MeteredGenerateResult } from './EvalModel.js';
export { EvalCancelledError } from './EvalCancelledError.js';
export { scoreCase } from './scoreCase.js';
export { planAB, runAB, AB_INTERIM_ALPHA, AB_MIN_INTERIM_CASES, type AbPlan } from './runAB.js';
export { explainAB, effectOf, toAbAnalysis } from './explainAB.js';
export { compareRuns, type RunComparison } from './compareRuns.js';
