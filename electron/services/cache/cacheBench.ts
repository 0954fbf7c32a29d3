/**
 * Semantic-lookup cost of the brute-force scan, to back the documented ~50k-entry limit.
 * Usage: npm run bench:cache [-- 10000 50000]. Prints medians per size and ends with one JSON line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CacheEmbedder } from './CacheEmbedder.js';
import type { CacheKeyInput } from './CacheKeyInput.js';
import { ResponseCache } from './ResponseCache.js';
import { seededRandom } from '../routing/index.js';

const DIM = 384;
const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
const rand = seededRandom(1);

/** Random unit vectors: the scan cost does not depend on what the vectors mean. */
const randomEmbedder: CacheEmbedder = {
  id: 'bench:random',
  dimensions: DIM,
  embed: async (texts) =>
    texts.map(() => {
      const v = new Float32Array(DIM);
      let n = 0;
      for (let i = 0; i < DIM; i++) n += (v[i] = rand() - 0.5) ** 2;
      for (let i = 0; i < DIM; i++) v[i]! /= Math.sqrt(n);
      return v;
    }),
  countTokens: (t) => t.length,
  dispose: async () => {},
};

const input = (i: number): CacheKeyInput => ({ model: 'm', prompt: `question number ${i}`, params: { maxTokens: 64, temperature: 0 } });
const results: { entries: number; insertMs: number; coldLookupMs: number; lookupMedianMs: number; exactMedianMs: number }[] = [];
for (const n of sizes.length > 0 ? sizes : [10_000, 50_000]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-cache-bench-'));
  const cache = await ResponseCache.open({ dir, embedder: randomEmbedder, semanticThreshold: 0.999 });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await cache.store(input(i), { text: `answer ${i}`, provider: 'p', model: 'm', promptTokens: 5, completionTokens: 5, finishReason: 'stop' });
  }
  const insertMs = performance.now() - t0;
  const s0 = performance.now();
  await cache.lookup(input(n + 100)); // cold: loads the scope's vectors from SQLite
  const coldMs = performance.now() - s0;
  const semantic: number[] = [];
  const exact: number[] = [];
  for (let r = 0; r < 15; r++) {
    let s = performance.now();
    await cache.lookup(input(n + r)); // a miss: scans every candidate
    semantic.push(performance.now() - s);
    s = performance.now();
    await cache.lookup(input(r));
    exact.push(performance.now() - s);
  }
  await cache.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
  const row = { entries: n, insertMs: Math.round(insertMs), coldLookupMs: Math.round(coldMs), lookupMedianMs: +median(semantic).toFixed(2), exactMedianMs: +median(exact).toFixed(3) };
  results.push(row);
  console.log(`${n} entries: insert ${row.insertMs} ms total; first semantic lookup (loads vectors) ${row.coldLookupMs} ms; semantic miss (full scan in memory) median ${row.lookupMedianMs} ms; exact hit median ${row.exactMedianMs} ms`);
}
console.log(JSON.stringify({ bench: 'cache-semantic-scan', dim: DIM, results }));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
