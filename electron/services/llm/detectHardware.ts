import os from 'node:os';
import type { Hardware } from '../../../shared/schemas/models.js';
import { getLlamaRuntime } from './LlamaRuntime.js';
import { physicalCoreCount } from './physicalCoreCount.js';

/** CPU, RAM and the GPU llama.cpp can use (VRAM only where a GPU backend loaded). */
export async function detectHardware(): Promise<Hardware> {
  const cpus = os.cpus();
  let gpu = 'cpu';
  let vramBytes: number | null = null;
  try {
    const llama = await getLlamaRuntime();
    if (llama.gpu !== false) {
      gpu = llama.gpu;
      vramBytes = (await llama.getVramState()).total;
    }
  } catch {
    // no usable llama.cpp binary: report a CPU-only machine; loading a model will give the real error
  }
  return {
    platform: os.platform(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    logicalCores: os.availableParallelism?.() ?? cpus.length,
    physicalCores: physicalCoreCount(),
    ramBytes: os.totalmem(),
    freeRamBytes: os.freemem(),
    gpu,
    vramBytes,
  };
}
