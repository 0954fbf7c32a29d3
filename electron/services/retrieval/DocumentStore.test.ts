import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DocumentStore, EmbedderMismatchError, type ChunkRow } from './DocumentStore.js';
import { chunkFilterToSql } from './chunkFilterToSql.js';
import { HashingEmbedder } from './testing/HashingEmbedder.js';
import { mulberry32 } from '../../../shared/random/mulberry32.js';
import * as lancedb from '@lancedb/lancedb';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hearth-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rows(embedder: HashingEmbedder, docId: string, texts: string[], extra: Partial<ChunkRow> = {}): Promise<ChunkRow[]> {
  const vecs = await embedder.embed(texts);
  return texts.map((text, i) => ({
    id: `${docId}:${i}`, docId, text, vector: vecs[i]!, page: 1, pageEnd: 1, charStart: i * 100, charEnd: i * 100 + text.length,
    chunkIndex: i, title: docId, tags: [], collection: 'default', createdAt: 1000, ...extra,
  }));
}

describe('DocumentStore', () => {
  it('stores chunks, finds them by BM25 and by vector, and filters with escaped values', async () => {
    const embedder = new HashingEmbedder(64);
    const store = await DocumentStore.open({ dir, embedder });
    try {
      await store.addChunks(await rows(embedder, "o'neil", ['turbine blades crack under load', 'the cat sat on the mat'], { tags: ['eng', "it's"], createdAt: 2000 }));
      await store.addChunks(await rows(embedder, 'doc2', ['wind turbine maintenance schedule', 'bananas are yellow'], { collection: 'fruit' }));
      const bm = await store.searchText('turbine', { limit: 10 });
      expect(bm.map((h) => h.id).sort()).toEqual(["doc2:0", "o'neil:0"]);
      const [qv] = await embedder.embed(['bananas yellow']);
      const dense = await store.searchVector(qv!, { limit: 1 });
      expect(dense[0]!.id).toBe('doc2:1');
      expect(dense[0]!.score).toBeCloseTo(1 - 0, 0);
      // filters: the doc id with a quote, a tag with a quote, collection and dates
      const byDoc = await store.searchText('turbine', { limit: 10, where: chunkFilterToSql({ docIds: ["o'neil"] }) });
      expect(byDoc.map((h) => h.docId)).toEqual(["o'neil"]);
      const byTag = await store.searchText('turbine', { limit: 10, where: chunkFilterToSql({ tags: ["it's"] }) });
      expect(byTag.map((h) => h.docId)).toEqual(["o'neil"]);
      expect(byTag[0]!.tags).toEqual(['eng', "it's"]);
      const byCollection = await store.searchVector(qv!, { limit: 10, where: chunkFilterToSql({ collection: 'fruit' }) });
      expect(new Set(byCollection.map((h) => h.docId))).toEqual(new Set(['doc2']));
      const byDate = await store.searchVector(qv!, { limit: 10, where: chunkFilterToSql({ createdAfter: 1500, createdBefore: new Date(3000) }) });
      expect(new Set(byDate.map((h) => h.docId))).toEqual(new Set(["o'neil"]));
      // an injection attempt is just a string that matches nothing
      const inj = await store.searchText('turbine', { limit: 10, where: chunkFilterToSql({ collection: "x' OR '1'='1" }) });
      expect(inj).toEqual([]);
      // query text is matched as words, never parsed as query syntax
      for (const q of [`turbine's (blades) AND OR -- ' " * ~ ^2 :`, 'text:turbine']) {
        expect((await store.searchText(q, { limit: 10 })).map((h) => h.docId)).toContain("o'neil");
      }
      expect(await store.searchText('   ', { limit: 10 })).toEqual([]);
      // rows written after the FTS index was built are still found
      await store.addChunks(await rows(embedder, 'doc3', ['turbine noise complaints']));
      expect((await store.searchText('turbine', { limit: 10 })).map((h) => h.docId)).toContain('doc3');
      await store.deleteDocument('doc2');
      expect(await store.countChunks()).toBe(3);
      expect((await store.searchText('turbine', { limit: 10 })).map((h) => h.docId)).not.toContain('doc2');
      await store.optimize();
      expect((await store.searchText('turbine', { limit: 10 })).map((h) => h.docId).sort()).toEqual(['doc3', "o'neil"]);
    } finally {
      await store.dispose();
      await store.dispose(); // idempotent
    }
  });

  it('keeps a manifest and sees writes made through another connection', async () => {
    const embedder = new HashingEmbedder(32);
    const a = await DocumentStore.open({ dir, embedder });
    const b = await DocumentStore.open({ dir, embedder });
    try {
      await a.upsertDocument({ docId: 'd1', path: '/x/a.txt', contentHash: 'h1', title: 'a', format: 'text', status: 'pending', chunkCount: 0, pageCount: 1, collection: 'default', tags: ['t'], embedderId: embedder.id, updatedAt: 1 });
      await a.upsertDocument({ docId: 'd1', path: '/x/a.txt', contentHash: 'h1', title: 'a', format: 'text', status: 'indexed', chunkCount: 2, pageCount: 1, collection: 'default', tags: ['t'], embedderId: embedder.id, updatedAt: 2 });
      const docs = await b.listDocuments();
      expect(docs).toHaveLength(1);
      expect(docs[0]).toMatchObject({ docId: 'd1', status: 'indexed', chunkCount: 2, tags: ['t'] });
      expect(await b.findDocumentsByHash('h1')).toHaveLength(1);
      await a.addChunks(await rows(embedder, 'd1', ['fresh write visible']));
      expect((await b.searchText('fresh', { limit: 5 })).map((h) => h.id)).toEqual(['d1:0']);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });

  it('builds the ANN index past the threshold and still finds the nearest chunk', async () => {
    const embedder = new HashingEmbedder(32);
    const store = await DocumentStore.open({ dir, embedder, vectorIndexThreshold: 400 });
    try {
      const texts = Array.from({ length: 500 }, (_, i) => `item${i} group${i % 37} colour${i % 11}`);
      await store.addChunks(await rows(embedder, 'big', texts));
      expect(await store.ensureIndexes()).toEqual({ fts: true, vector: true });
      const [qv] = await embedder.embed([texts[123]!]);
      const [top] = await store.searchVector(qv!, { limit: 1 });
      expect(top!.id).toBe('big:123');
      expect(top!.score).toBeCloseTo(1, 4);
    } finally {
      await store.dispose();
    }
  }, 120_000);

  it('scans flat by dot product exactly as cosine below 5k rows, then builds HNSW_SQ by default at 5k', async () => {
    const dims = 32;
    const embedder = new HashingEmbedder(dims);
    const rand = mulberry32(11);
    const unit = () => {
      const v = Float32Array.from({ length: dims }, () => rand() * 2 - 1);
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    };
    const vectors = Array.from({ length: 5000 }, unit);
    const chunk = (i: number): ChunkRow => ({
      id: `v:${i}`, docId: 'v', text: `row ${i}`, vector: vectors[i]!, page: 1, pageEnd: 1, charStart: 0, charEnd: 5, chunkIndex: i,
      title: 'v', tags: [], collection: i % 2 ? 'odd' : 'even', createdAt: i,
    });
    const store = await DocumentStore.open({ dir, embedder });
    try {
      await store.addChunks(Array.from({ length: 4999 }, (_, i) => chunk(i)));
      expect(await store.ensureIndexes()).toEqual({ fts: true, vector: false });
      // the flat scan against cosine similarity computed here, over all stored vectors, with and without a filter
      for (const where of [undefined, "collection = 'odd'"]) {
        const q = unit();
        const exact = vectors.slice(0, 4999).map((v, i) => ({ id: `v:${i}`, odd: i % 2 === 1, score: v.reduce((acc, x, j) => acc + x * q[j]!, 0) }))
          .filter((h) => where === undefined || h.odd).sort((a, b) => b.score - a.score).slice(0, 10);
        const got = await store.searchVector(q, { limit: 10, ...(where ? { where } : {}) });
        expect(got.map((h) => h.id)).toEqual(exact.map((h) => h.id));
        got.forEach((h, i) => expect(h.score).toBeCloseTo(exact[i]!.score, 5));
        const refs = await store.searchVectorRowRefs(q, { limit: 10, ...(where ? { where } : {}) });
        expect(refs.map((r) => r.score)).toEqual(got.map((h) => h.score));
      }
      // results spanning several Arrow batches are collected whole (the row-ref and take readers stop early only at their limit)
      const many = await store.searchVectorRowRefs(unit(), { limit: 3000 });
      expect(many).toHaveLength(3000);
      const taken = await store.takeRows(many.map((r) => r.rowId));
      expect(taken.size).toBe(3000);
      expect(new Set([...taken.values()].map((c) => c.id)).size).toBe(3000);
      await store.addChunks([chunk(4999)]);
      expect(await store.ensureIndexes()).toEqual({ fts: true, vector: true });
      const db = await lancedb.connect(dir);
      const table = await db.openTable('chunks');
      expect((await table.listIndices()).find((i) => i.columns.includes('vector'))?.indexType).toBe('IvfHnswSq');
      table.close();
      db.close();
      const [top] = await store.searchVector(vectors[4321]!, { limit: 1 });
      expect(top!.id).toBe('v:4321');
      expect(top!.score).toBeCloseTo(1, 4);
    } finally {
      await store.dispose();
    }
  }, 120_000);

  it('refuses an embedder with a different vector width', async () => {
    const s = await DocumentStore.open({ dir, embedder: new HashingEmbedder(32) });
    await s.dispose();
    await expect(DocumentStore.open({ dir, embedder: new HashingEmbedder(64) })).rejects.toBeInstanceOf(EmbedderMismatchError);
  });
  it('reads chunks back by id and by index range (citation panel), without vectors', async () => {
    const embedder = new HashingEmbedder(32);
    const store = await DocumentStore.open({ dir, embedder });
    try {
      await store.addChunks(await rows(embedder, "d'1", ['alpha one', 'beta two', 'gamma three', 'delta four']));
      const c = await store.getChunk("d'1:2");
      expect(c).toMatchObject({ id: "d'1:2", docId: "d'1", text: 'gamma three', chunkIndex: 2, charStart: 200 });
      expect(c).not.toHaveProperty('vector');
      expect(await store.getChunk("d'1:9")).toBeUndefined();
      const around = await store.listChunks("d'1", { from: 1, to: 3 });
      expect(around.map((x) => x.chunkIndex)).toEqual([1, 2, 3]);
    } finally {
      await store.dispose();
    }
  });
});
