export { extract, type ExtractOptions, type ExtractionResult, type ExtractionTarget } from './extract.js';
export { ExtractionFailedError } from './ExtractionFailedError.js';
export { parsePartialJson } from './parsePartialJson.js';
export { createValidator, type Validate } from './createValidator.js';
export { runToolCalls, FINAL_ANSWER_TOOL, type RunToolCallsOptions, type ToolCallsResult, type ToolImplementation } from './runToolCalls.js';
export { ToolRoundsExceededError } from './ToolRoundsExceededError.js';
