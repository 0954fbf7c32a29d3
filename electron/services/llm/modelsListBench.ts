/**
 * `models.list` cost with the GGUF summary cache: cold (every header read), warm (same process: a stat per file) and
 * after a restart (summaries read back from the JSON file). Usage: npm run bench:models-list [-- DIR...]; default DIR is
 * the generated fixture folder (includes the 0.5 GB bench model when it was generated). Ends with one JSON line.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FIXTURE_DIR } from '../../../models/fixtures/fixturePaths.js';
import { ModelManager } from './ModelManager.js';

const dirs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [path.join(FIXTURE_DIR, 'gguf')];
const modelsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-models-list-bench-'));

async function timed(manager: ModelManager): Promise<{ ms: number; models: number }> {
  const started = performance.now();
  const list = await manager.list();
  return { ms: performance.now() - started, models: list.length };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

try {
  const first = await ModelManager.create({ modelsDir, extraDirs: dirs });
  const cold = await timed(first);
  const coldReads = first.summaries.reads;
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) warm.push((await timed(first)).ms);
  const restart: number[] = [];
  let restartReads = 0;
  for (let i = 0; i < 3; i++) {
    const again = await ModelManager.create({ modelsDir, extraDirs: dirs });
    restart.push((await timed(again)).ms);
    restartReads = again.summaries.reads; // files without a persistable summary (corrupt ones) are read again
  }
  const result = {
    bench: 'models-list',
    models: cold.models,
    coldMs: Math.round(cold.ms),
    coldReads,
    warmMedianMs: +median(warm).toFixed(2),
    restartMedianMs: +median(restart).toFixed(1),
    restartReads,
  };
  console.log(`${result.models} models in ${dirs.join(', ')}`);
  console.log(`cold: ${result.coldMs} ms (${coldReads} header reads); warm: median ${result.warmMedianMs} ms (0 reads); restart: median ${result.restartMedianMs} ms (${restartReads} reads)`);
  console.log(JSON.stringify(result));
} finally {
  await fs.rm(modelsDir, { recursive: true, force: true });
}
