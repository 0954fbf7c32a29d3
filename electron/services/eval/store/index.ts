export { EvalStore, resultKey, type NewRun } from './EvalStore.js';
export { EvalNotFoundError } from './EvalNotFoundError.js';
export { EvalStorageError } from './EvalStorageError.js';
export { migrateEvalStore, LATEST_EVAL_STORE_VERSION } from './migrateEvalStore.js';
export { summarizeResults, quantile, type SummaryRow } from './summarizeResults.js';
