import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentStore, type ChunkRow } from './DocumentStore.js';
import type { Reranker } from './EmbedderContract.js';
import { HybridRetriever, RerankerMissingError } from './HybridRetriever.js';
import { HashingEmbedder } from './testing/HashingEmbedder.js';

let dir: string;
let store: DocumentStore;
const embedder = new HashingEmbedder(128);
const TEXTS = [
  'error code E1234 appears when the pump valve sticks',
  'the pump valve sticks in cold weather and needs heating',
  'cold weather heating guide for outdoor pumps',
  'valve maintenance checklist for pumps and pipes',
  'bananas apples and oranges in the fruit bowl',
  'E1234 E1234 firmware note',
  'outdoor pipes freeze in cold weather',
  'the fruit bowl is on the kitchen table',
];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hearth-hybrid-'));
  store = await DocumentStore.open({ dir, embedder });
  const vecs = await embedder.embed(TEXTS);
  const rows: ChunkRow[] = TEXTS.map((text, i) => ({
    id: `c${i}`, docId: `d${i % 4}`, text, vector: vecs[i]!, page: 1, pageEnd: 1, charStart: 0, charEnd: text.length, chunkIndex: i,
    title: `doc ${i % 4}`, tags: i < 4 ? ['pumps'] : ['misc'], collection: i % 2 === 0 ? 'even' : 'odd', createdAt: 1000 + i,
  }));
  await store.addChunks(rows);
  await store.ensureIndexes();
});
afterAll(async () => {
  await store.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('HybridRetriever', () => {
  it('rrf fuses ranks exactly as Σ 1/(60 + rank) and covers both lists', async () => {
    const r = new HybridRetriever({ store, candidates: 50 });
    const q = 'pump valve sticks cold weather';
    const bm = await r.retrieve(q, { mode: 'bm25', k: 50 });
    const de = await r.retrieve(q, { mode: 'dense', k: 50 });
    const fused = await r.retrieve(q, { mode: 'hybrid-rrf', k: 8 });
    const rb = new Map(bm.map((p, i) => [p.chunkId, i + 1]));
    const rd = new Map(de.map((p, i) => [p.chunkId, i + 1]));
    const expected = [...new Set([...rb.keys(), ...rd.keys()])]
      .map((id) => ({ id, s: (rb.has(id) ? 1 / (60 + rb.get(id)!) : 0) + (rd.has(id) ? 1 / (60 + rd.get(id)!) : 0) }))
      .sort((a, b) => b.s - a.s || (a.id < b.id ? -1 : 1));
    expect(fused.map((p) => p.chunkId)).toEqual(expected.slice(0, 8).map((e) => e.id));
    for (const p of fused) {
      expect(p.score).toBeCloseTo(expected.find((e) => e.id === p.chunkId)!.s, 12);
      expect(p.bm25Rank).toBe(rb.get(p.chunkId));
      expect(p.denseRank).toBe(rd.get(p.chunkId));
    }
  });

  it('linear fusion uses min-max normalised scores weighted by alpha', async () => {
    const r = new HybridRetriever({ store });
    const q = 'E1234 pump';
    const bm = await r.retrieve(q, { mode: 'bm25', k: 50 });
    const de = await r.retrieve(q, { mode: 'dense', k: 50 });
    const norm = (xs: { chunkId: string; score: number }[]) => {
      const lo = Math.min(...xs.map((x) => x.score));
      const hi = Math.max(...xs.map((x) => x.score));
      return new Map(xs.map((x) => [x.chunkId, hi === lo ? 1 : (x.score - lo) / (hi - lo)]));
    };
    const nb = norm(bm);
    const nd = norm(de);
    for (const alpha of [0, 0.3, 1]) {
      const fused = await r.retrieve(q, { mode: 'hybrid-linear', k: 8, alpha });
      for (const p of fused) expect(p.score).toBeCloseTo(alpha * (nd.get(p.chunkId) ?? 0) + (1 - alpha) * (nb.get(p.chunkId) ?? 0), 6);
      for (let i = 1; i < fused.length; i++) expect(fused[i]!.score).toBeLessThanOrEqual(fused[i - 1]!.score);
    }
    // alpha 0 ranks exactly like BM25 at the top
    expect((await r.retrieve(q, { mode: 'hybrid-linear', k: 1, alpha: 0 }))[0]!.chunkId).toBe(bm[0]!.chunkId);
  });

  it('hybrid recovers what one list misses', async () => {
    const r = new HybridRetriever({ store });
    // "freeze" is only in c6; dense (bag-of-words double) also favours c2/c1 on "cold weather".
    const hits = await r.retrieve('E1234 cold weather', { mode: 'hybrid-rrf', k: 4 });
    const ids = hits.map((h) => h.chunkId);
    expect(ids).toContain('c5'); // exact identifier, strongest in BM25
    expect(ids.some((id) => ['c1', 'c2', 'c6'].includes(id))).toBe(true);
  });

  it('embeds a repeated query once', async () => {
    const r = new HybridRetriever({ store });
    const before = embedder.textsEmbedded;
    await r.retrieve('pump valve', { mode: 'dense' });
    await r.retrieve('pump valve', { mode: 'hybrid-rrf' });
    expect(embedder.textsEmbedded - before).toBe(1);
  });

  it('applies metadata filters in every mode', async () => {
    const r = new HybridRetriever({ store });
    for (const mode of ['bm25', 'dense', 'hybrid-linear', 'hybrid-rrf'] as const) {
      const tagged = await r.retrieve('cold weather pump fruit', { mode, k: 8, filter: { tags: ['misc'] } });
      expect(tagged.length).toBeGreaterThan(0);
      for (const p of tagged) expect(p.tags).toEqual(['misc']);
      const coll = await r.retrieve('cold weather pump fruit', { mode, k: 8, filter: { collection: 'odd', createdAfter: 1003 } });
      for (const p of coll) expect(p.collection).toBe('odd');
      for (const p of coll) expect(Number(p.chunkId.slice(1))).toBeGreaterThanOrEqual(3);
      const docs = await r.retrieve('cold weather pump fruit', { mode, k: 8, filter: { docIds: ['d2'] } });
      for (const p of docs) expect(p.docId).toBe('d2');
    }
  });

  it('rerank re-orders the hybrid candidates by the reranker score', async () => {
    // Test double: scores a passage by how many times it mentions "fruit".
    const reranker: Reranker = {
      id: 'test-count-fruit',
      score: async (_q, passages) => passages.map((p) => (p.match(/fruit/g)?.length ?? 0) + p.length / 1e6),
      dispose: async () => undefined,
    };
    const r = new HybridRetriever({ store, reranker, rerankTopN: 8 });
    const hits = await r.retrieve('fruit bowl pump valve', { mode: 'rerank', k: 3 });
    expect(hits.map((h) => h.chunkId).slice(0, 2).sort()).toEqual(['c4', 'c7']);
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
    await expect(new HybridRetriever({ store }).retrieve('x', { mode: 'rerank' })).rejects.toBeInstanceOf(RerankerMissingError);
  });
});
