import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UseLiteEmbedder } from '../embeddings/index.js';
import { DocumentStore, type ChunkRow } from './DocumentStore.js';
import { HybridRetriever } from './HybridRetriever.js';
import { compressContext } from './compressContext.js';

/** Real embedder (USE-Lite, ships in npm): dense retrieval must find a paraphrase BM25 cannot. */
const PASSAGES = [
  'To recover a forgotten login credential, open Settings and choose the account recovery option.',
  'The quarterly revenue grew by twelve percent compared with last year.',
  'Our office dog enjoys long walks in the park every afternoon.',
  'Invoice INV-20931 was paid in full on the third of March.',
  'Heavy rain is expected across the northern region this weekend.',
  'The espresso machine needs descaling once a month to keep working.',
];
let dir: string;
let embedder: UseLiteEmbedder;
let store: DocumentStore;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hearth-uselite-'));
  embedder = await UseLiteEmbedder.create();
  store = await DocumentStore.open({ dir, embedder });
  const vecs = await embedder.embed(PASSAGES);
  const rows: ChunkRow[] = PASSAGES.map((text, i) => ({
    id: `c${i}`, docId: `d${i}`, text, vector: vecs[i]!, page: 1, pageEnd: 1, charStart: 0, charEnd: text.length, chunkIndex: 0,
    title: `doc ${i}`, tags: [], collection: 'default', createdAt: 0,
  }));
  await store.addChunks(rows);
});
afterAll(async () => {
  await store.dispose();
  await embedder.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('HybridRetriever with USE-Lite', () => {
  it('dense and hybrid find a paraphrase; BM25 finds the exact identifier', async () => {
    const r = new HybridRetriever({ store });
    const q = 'how do I reset my password';
    expect((await r.retrieve(q, { mode: 'bm25', k: 3 })).map((p) => p.chunkId)).not.toContain('c0');
    expect((await r.retrieve(q, { mode: 'dense', k: 1 }))[0]!.chunkId).toBe('c0');
    expect((await r.retrieve(q, { mode: 'hybrid-rrf', k: 2 })).map((p) => p.chunkId)).toContain('c0');
    const id = await r.retrieve('INV-20931', { mode: 'hybrid-rrf', k: 1 });
    expect(id[0]!.chunkId).toBe('c3');
  });

  it('compression keeps the relevant sentence of a mixed passage', async () => {
    const text = `${PASSAGES[2]} ${PASSAGES[5]} ${PASSAGES[4]}`;
    const [p] = await compressContext('how often should the coffee maker be cleaned', [{ chunkId: 'x', docId: 'd', text, charStart: 0 }], { embedder, relativeThreshold: 0.9 });
    expect(p!.sentences.map((s) => s.index)).toEqual([1]);
    expect(p!.text).toBe(PASSAGES[5]);
  });
});
