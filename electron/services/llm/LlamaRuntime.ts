import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';

export interface LlamaRuntimeOptions {
  /** 'auto' tries CUDA/Vulkan/Metal prebuilt binaries and falls back to CPU; false forces CPU. Default 'auto'. */
  gpu?: 'auto' | false;
}

let cpuRuntime: Promise<Llama> | undefined;
let autoRuntime: Promise<Llama> | undefined;

/**
 * One llama.cpp runtime per process (loading the native addon twice wastes memory and time).
 * Never builds from source or downloads: only the prebuilt binaries shipped in npm are used, so a
 * machine without a usable GPU binary falls back to the CPU build.
 */
export function getLlamaRuntime(options: LlamaRuntimeOptions = {}): Promise<Llama> {
  if (options.gpu === false) {
    cpuRuntime ??= getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error, progressLogs: false });
    return cpuRuntime;
  }
  autoRuntime ??= getLlama({ gpu: 'auto', build: 'never', logLevel: LlamaLogLevel.error, progressLogs: false }).catch(
    () => getLlamaRuntime({ gpu: false }),
  );
  return autoRuntime;
}
