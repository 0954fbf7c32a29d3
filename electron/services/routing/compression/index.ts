export { compressPrompt, type CompressPromptInput, type CompressedPrompt, type CompressedSentence } from './compressPrompt.js';
export { batchTasks, MAX_BATCH, type BatchTasksOptions, type BatchedPrompt } from './batchTasks.js';
export { splitBatch } from './splitBatch.js';
export { BatchSplitError } from './BatchSplitError.js';
