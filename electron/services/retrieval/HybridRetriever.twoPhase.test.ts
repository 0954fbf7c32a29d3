import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DocumentStore, type ChunkRow } from './DocumentStore.js';
import { HybridRetriever, type RetrievalMode } from './HybridRetriever.js';
import type { ChunkFilter } from './chunkFilterToSql.js';
import { HashingEmbedder } from './testing/HashingEmbedder.js';
import { mulberry32 } from '../../../shared/random/mulberry32.js';

/**
 * Two-phase fetching (ids + scores first, full rows for the final top-k) must be invisible in the
 * results: same passages, same order, same scores and ranks as reading full rows up front.
 */
const embedder = new HashingEmbedder(64);
const WORDS = ['pump', 'valve', 'cold', 'weather', 'pipe', 'freeze', 'heating', 'firmware', 'E1234', 'rotor', 'blade', 'wind', 'crack', 'load', 'fruit', 'bowl'];
let dir: string;
let store: DocumentStore;

/** 12 documents × 3 parent sections × 3 child chunks; each child's text is seeded random words. */
function corpus(): Omit<ChunkRow, 'vector'>[] {
  const rand = mulberry32(7);
  const rows: Omit<ChunkRow, 'vector'>[] = [];
  for (let d = 0; d < 12; d++) {
    for (let p = 0; p < 3; p++) {
      const children = Array.from({ length: 3 }, () => Array.from({ length: 8 }, () => WORDS[Math.floor(rand() * WORDS.length)]!).join(' '));
      const parentText = children.join(' ');
      for (let c = 0; c < 3; c++) {
        const i = p * 3 + c;
        const charStart = p * 1000 + c * 100;
        rows.push({
          id: `d${d}:${i}`, docId: `d${d}`, text: children[c]!, page: p + 1, pageEnd: p + 1, charStart, charEnd: charStart + children[c]!.length, chunkIndex: i,
          // documents 0–7 have parent sections; 8–11 are flat chunks
          ...(d < 8 ? { parentId: `d${d}:p${p}`, parentText, parentCharStart: p * 1000, parentCharEnd: p * 1000 + parentText.length } : {}),
          title: `doc ${d}`, tags: d % 3 === 0 ? ['ops'] : ['misc'], collection: d % 2 === 0 ? 'even' : 'odd', createdAt: 1000 + d,
        });
      }
    }
  }
  return rows;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hearth-twophase-'));
  store = await DocumentStore.open({ dir, embedder });
  const rows = corpus();
  const vecs = await embedder.embed(rows.map((r) => r.text));
  await store.addChunks(rows.map((r, i) => ({ ...r, vector: vecs[i]! })));
  await store.ensureIndexes();
});
afterAll(async () => {
  await store.dispose();
  await rm(dir, { recursive: true, force: true });
});

const MODES: RetrievalMode[] = ['bm25', 'dense', 'hybrid-linear', 'hybrid-rrf'];
const FILTERS: (ChunkFilter | undefined)[] = [undefined, { collection: 'even' }, { tags: ['ops'], createdAfter: 1003 }, { docIds: ['d1', 'd9'] }];

describe('HybridRetriever two-phase fetch', () => {
  it('returns exactly the passages of a one-phase query in every mode, with and without parents and filters', async () => {
    const two = new HybridRetriever({ store, candidates: 10 });
    const ids = new HybridRetriever({ store, candidates: 10, fetch: 'two-phase-ids' });
    const one = new HybridRetriever({ store, candidates: 10, fetch: 'one-phase' });
    // the default path really is the row-id one (and the others are not)
    const takeRows = vi.spyOn(store, 'takeRows');
    const getChunks = vi.spyOn(store, 'getChunks');
    let compared = 0;
    for (const q of ['pump valve cold', 'E1234 firmware rotor', 'fruit bowl wind crack']) {
      for (const mode of MODES) {
        for (const filter of FILTERS) {
          for (const returnParents of [true, false]) {
            const opts = { mode, k: 5, returnParents, ...(filter ? { filter } : {}) };
            takeRows.mockClear();
            getChunks.mockClear();
            const a = await two.retrieve(q, opts);
            expect(takeRows).toHaveBeenCalled();
            expect(getChunks).not.toHaveBeenCalled();
            const b = await one.retrieve(q, opts);
            const c = await ids.retrieve(q, opts);
            expect(a, `${q} ${mode} ${JSON.stringify(filter)} parents=${returnParents}`).toEqual(b);
            expect(c, `${q} ${mode} ${JSON.stringify(filter)} parents=${returnParents} (ids)`).toEqual(b);
            expect(a.length).toBeGreaterThan(0);
            compared++;
          }
        }
      }
    }
    takeRows.mockRestore();
    getChunks.mockRestore();
    expect(compared).toBe(3 * MODES.length * FILTERS.length * 2);
  }, 60_000);

  it('applies the filter to both first-stage lists', async () => {
    const r = new HybridRetriever({ store, candidates: 50 });
    for (const mode of MODES) {
      const hits = await r.retrieve('pump valve cold weather fruit', { mode, k: 50, returnParents: false, filter: { collection: 'odd', tags: ['misc'] } });
      expect(hits.length).toBeGreaterThan(0);
      for (const h of hits) {
        expect(h.collection).toBe('odd');
        expect(h.tags).toEqual(['misc']);
      }
      if (mode === 'hybrid-rrf' || mode === 'hybrid-linear') {
        // both sub-queries contributed, and neither leaked an unfiltered chunk
        expect(hits.some((h) => h.bm25Rank !== undefined)).toBe(true);
        expect(hits.some((h) => h.denseRank !== undefined)).toBe(true);
      }
    }
    // the filtered dense list is a subsequence of no unfiltered chunk: 'even' docs never appear
    const dense = await r.retrieve('pump valve', { mode: 'dense', k: 50, returnParents: false, filter: { docIds: ['d3'] } });
    expect(new Set(dense.map((h) => h.docId))).toEqual(new Set(['d3']));
    expect(dense).toHaveLength(9);
  });

  it('parent-document mode returns k distinct parents with the parent text and the child offsets', async () => {
    const r = new HybridRetriever({ store, candidates: 10 });
    const hits = await r.retrieve('pump valve cold weather', { mode: 'hybrid-rrf', k: 6, filter: { docIds: ['d0', 'd1', 'd2'] } });
    expect(hits).toHaveLength(6);
    const parents = hits.map((h) => `${h.docId}@${h.charStart}`);
    expect(new Set(parents).size).toBe(6);
    for (const h of hits) {
      const child = await store.getChunk(h.chunkId);
      expect(child!.parentText).toBe(h.text);
      expect(h.charStart).toBe(child!.parentCharStart);
      expect(h.charEnd).toBe(child!.parentCharEnd);
      expect(h.matchCharStart).toBe(child!.charStart);
      expect(h.matchCharEnd).toBe(child!.charEnd);
      expect(h.text).toContain(child!.text);
    }
    // without parents the same query returns the child chunks themselves
    const flat = await r.retrieve('pump valve cold weather', { mode: 'hybrid-rrf', k: 6, returnParents: false, filter: { docIds: ['d0', 'd1', 'd2'] } });
    for (const h of flat) expect(h.text).toBe((await store.getChunk(h.chunkId))!.text);
  });

  it("'two-phase-ids' refills the top-k when chunks are deleted between the two phases", async () => {
    const own = await DocumentStore.open({ dir: await mkdtemp(path.join(tmpdir(), 'hearth-twophase-del-')), embedder });
    try {
      const rows = corpus().filter((r) => r.docId === 'd8' || r.docId === 'd9');
      const vecs = await embedder.embed(rows.map((r) => r.text));
      await own.addChunks(rows.map((r, i) => ({ ...r, vector: vecs[i]! })));
      const r = new HybridRetriever({ store: own, fetch: 'two-phase-ids' });
      const before = await r.retrieve('pump valve cold weather', { mode: 'hybrid-rrf', k: 18 });
      expect(new Set(before.map((h) => h.docId))).toEqual(new Set(['d8', 'd9']));
      expect(before.slice(0, 6).some((h) => h.docId === 'd8')).toBe(true);
      const getChunks = own.getChunks.bind(own);
      own.getChunks = async (ids) => {
        await own.deleteDocument('d8');
        return getChunks(ids);
      };
      // the gaps left by d8 are refilled with the next-ranked d9 chunks, in fused order
      const after = await r.retrieve('pump valve cold weather', { mode: 'hybrid-rrf', k: 6 });
      expect(after.map((h) => h.chunkId)).toEqual(before.filter((h) => h.docId === 'd9').slice(0, 6).map((h) => h.chunkId));
    } finally {
      await own.dispose();
      await rm(own.dir, { recursive: true, force: true });
    }
  });
});

describe('DocumentStore first-stage refs and getChunks', () => {
  it('ref searches list the same ids, order and scores as the full-row searches', async () => {
    const [qv] = await embedder.embed(['rotor blade crack']);
    for (const where of [undefined, "collection = 'odd'"]) {
      const full = await store.searchText('rotor blade crack', { limit: 20, ...(where ? { where } : {}) });
      const refs = await store.searchTextRefs('rotor blade crack', { limit: 20, ...(where ? { where } : {}) });
      expect(refs.map(({ rowId: _r, ...x }) => x)).toEqual(full.map((h) => ({ id: h.id, parentId: h.parentId ?? null, score: h.score })));
      const vfull = await store.searchVector(qv!, { limit: 20, ...(where ? { where } : {}) });
      const vrefs = await store.searchVectorRefs(qv!, { limit: 20, ...(where ? { where } : {}) });
      expect(vrefs.map(({ rowId: _r, ...x }) => x)).toEqual(vfull.map((h) => ({ id: h.id, parentId: h.parentId ?? null, score: h.score })));
      for (const r of [...refs, ...vrefs]) expect(typeof r.rowId).toBe('bigint');
    }
    expect(await store.searchTextRefs('  ', { limit: 5 })).toEqual([]);
  });

  it('getChunks fetches full rows by id, ignores unknown ids and escapes quotes', async () => {
    const got = await store.getChunks([{ id: 'd0:4' }, { id: 'd9:0' }, { id: 'd0:4' }, { id: "nope' OR '1'='1" }]);
    expect([...got.keys()].sort()).toEqual(['d0:4', 'd9:0']);
    expect(got.get('d0:4')).toEqual(await store.getChunk('d0:4'));
    expect(got.get('d0:4')!.parentId).toBe('d0:p1');
    expect(got.get('d9:0')!.parentText).toBeNull();
    expect((await store.getChunks([])).size).toBe(0);
  });

  it('getChunks reads by row id, never trusts a row id for the wrong chunk, and survives compaction', async () => {
    const own = await DocumentStore.open({ dir: await mkdtemp(path.join(tmpdir(), 'hearth-twophase-rowid-')), embedder });
    try {
      const rows = corpus().filter((r) => r.docId === 'd8' || r.docId === 'd9' || r.docId === 'd10');
      const vecs = await embedder.embed(rows.map((r) => r.text));
      // three separate fragments, so compaction rewrites row ids
      for (const doc of ['d8', 'd9', 'd10']) await own.addChunks(rows.flatMap((r, i) => (r.docId === doc ? [{ ...r, vector: vecs[i]! }] : [])));
      await own.ensureIndexes();
      const refs = await own.searchTextRefs('pump valve cold weather rotor', { limit: 27 });
      expect(refs.length).toBeGreaterThan(5);
      const expected = await own.getChunks(refs.map((r) => ({ id: r.id })));
      expect(await own.getChunks(refs)).toEqual(expected);
      // a row id that belongs to another chunk is not used for this id
      const swapped = await own.getChunks([{ id: refs[0]!.id, rowId: refs[1]!.rowId! }]);
      expect([...swapped.keys()]).toEqual([refs[0]!.id]);
      expect(swapped.get(refs[0]!.id)).toEqual(expected.get(refs[0]!.id));
      // delete + compact: old row ids go stale; the chunks that remain are still found, by id
      await own.deleteDocument('d8');
      await own.optimize();
      const after = await own.getChunks(refs);
      expect([...after.keys()].sort()).toEqual(refs.filter((r) => !r.id.startsWith('d8:')).map((r) => r.id).sort());
      for (const [id, row] of after) expect(row).toEqual(expected.get(id));
      // (the old row ids really went stale: the same chunks now have other row ids)
      const oldRowId = new Map(refs.map((r) => [r.id, r.rowId]));
      const now = await own.searchTextRefs('pump valve cold weather rotor', { limit: 27 });
      expect(now.some((r) => r.rowId !== oldRowId.get(r.id))).toBe(true);
    } finally {
      await own.dispose();
      await rm(own.dir, { recursive: true, force: true });
    }
  });
});
