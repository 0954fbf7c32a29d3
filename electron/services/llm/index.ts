export type { GenerateRequest, LlmProvider } from './LlmProvider.js';
export { LocalLlamaProvider, type LocalLlamaProviderOptions } from './LocalLlamaProvider.js';
export { ModelManager, type ModelManagerOptions } from './ModelManager.js';
export { inspectGguf, inspectGgufDetailed } from './inspectGguf.js';
export { detectHardware } from './detectHardware.js';
export { physicalCoreCount } from './physicalCoreCount.js';
export { getLlamaRuntime } from './LlamaRuntime.js';
export * from './errors.js';
