import fs from 'node:fs';
import os from 'node:os';

/**
 * Physical cores (not hyper-threads), read from /proc/cpuinfo on Linux, else the logical count halved
 * when SMT is likely. llama.cpp runs best with one thread per physical core; node-llama-cpp's own default
 * of 4 on a 2-core box was measured about 100× slower, so callers always pass this explicitly.
 */
export function physicalCoreCount(): number {
  const logical = os.availableParallelism?.() ?? os.cpus().length;
  try {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
    const cores = new Set<string>();
    let physicalId = '0';
    for (const line of info.split('\n')) {
      const [key, value] = line.split(':').map((s) => s.trim());
      if (key === 'physical id') physicalId = value ?? '0';
      if (key === 'core id') cores.add(`${physicalId}:${value ?? ''}`);
    }
    if (cores.size > 0) return Math.max(1, Math.min(cores.size, logical));
  } catch {
    // not Linux: fall through to the logical count
  }
  return Math.max(1, logical);
}
