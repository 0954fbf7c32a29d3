import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetInvalidError, runRetrievalEval } from './runRetrievalEval.js';
import { HashingEmbedder } from './testing/HashingEmbedder.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hearth-beir-'));
  await mkdir(path.join(dir, 'qrels'));
  const topics = ['volcano lava eruption', 'glacier ice melting', 'desert sand dunes', 'coral reef fish', 'rainforest canopy birds'];
  const corpus = topics.flatMap((t, i) => [
    { _id: `t${i}a`, title: t, text: `A study of ${t} and related field work.` },
    { _id: `t${i}b`, title: '', text: `Notes: ${t.split(' ')[0]} observations only.` },
  ]);
  corpus.push({ _id: 'noise', title: 'cooking', text: 'pasta tomato basil recipe' });
  await writeFile(path.join(dir, 'corpus.jsonl'), corpus.map((c) => JSON.stringify(c)).join('\n') + '\n');
  const queries = topics.map((t, i) => ({ _id: `q${i}`, text: t }));
  queries.push({ _id: 'unjudged', text: 'pasta' });
  await writeFile(path.join(dir, 'queries.jsonl'), queries.map((q) => JSON.stringify(q)).join('\n'));
  const qrels = ['query-id\tcorpus-id\tscore', ...topics.flatMap((_, i) => [`q${i}\tt${i}a\t2`, `q${i}\tt${i}b\t1`])];
  await writeFile(path.join(dir, 'qrels', 'test.tsv'), qrels.join('\n') + '\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runRetrievalEval', () => {
  it('ingests a BEIR folder and scores every judged query in each mode', async () => {
    const report = await runRetrievalEval({ datasetDir: dir, mode: ['bm25', 'dense', 'hybrid-rrf'], embedder: new HashingEmbedder(256), k: 10 });
    expect(report.docs).toBe(11);
    expect(report.chunks).toBe(11);
    expect(report.results.map((r) => r.mode)).toEqual(['bm25', 'dense', 'hybrid-rrf']);
    for (const r of report.results) {
      expect(r.queries).toBe(5); // the unjudged query is skipped
      // each topic's two documents share the topic words, so both are found: perfect recall;
      // the richer "a" doc (gain 2) outranks "b" (gain 1) → nDCG 1.
      expect(r.recallAt100).toBe(1);
      expect(r.recallAtK).toBe(1);
      expect(r.mrrAtK).toBe(1);
      expect(r.ndcgAtK).toBeCloseTo(1, 6);
      expect(r.latencyMs.p50).toBeGreaterThan(0);
      expect(r.latencyMs.p95).toBeGreaterThanOrEqual(r.latencyMs.p50);
    }
  });

  it('reports a broken dataset with DATASET_INVALID', async () => {
    const bad = await mkdtemp(path.join(tmpdir(), 'hearth-beir-bad-'));
    try {
      await writeFile(path.join(bad, 'corpus.jsonl'), '{"_id": "1", "text": "ok"}\n{not json\n');
      await expect(runRetrievalEval({ datasetDir: bad, mode: 'bm25', embedder: new HashingEmbedder(16) })).rejects.toBeInstanceOf(DatasetInvalidError);
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });
});
