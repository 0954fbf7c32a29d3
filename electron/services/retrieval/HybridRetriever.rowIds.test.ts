import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DocumentStore, type ChunkRow } from './DocumentStore.js';
import { HybridRetriever, type RetrievalMode } from './HybridRetriever.js';
import { HashingEmbedder } from './testing/HashingEmbedder.js';
import { mulberry32 } from '../../../shared/random/mulberry32.js';

/**
 * The default 'two-phase' fetch addresses rows by Lance row id, which a write (delete, compaction, another
 * connection's add) can void between the search and the take. These tests put such writes exactly there
 * and check the answer is still the one a fresh query on the new table state gives.
 */
const embedder = new HashingEmbedder(64);
const WORDS = ['pump', 'valve', 'cold', 'weather', 'pipe', 'freeze', 'heating', 'rotor', 'blade', 'wind', 'crack', 'load'];
const QUERY = 'pump valve cold weather';
let dir: string;
let store: DocumentStore;

async function addDoc(docId: string, chunks: number, seed: number): Promise<void> {
  const rand = mulberry32(seed);
  const rows: Omit<ChunkRow, 'vector'>[] = Array.from({ length: chunks }, (_, i) => {
    const text = Array.from({ length: 8 }, () => WORDS[Math.floor(rand() * WORDS.length)]!).join(' ');
    return { id: `${docId}:${i}`, docId, text, page: 1, pageEnd: 1, charStart: i * 100, charEnd: i * 100 + text.length, chunkIndex: i, title: docId, tags: [], collection: 'c', createdAt: 1 };
  });
  const vecs = await embedder.embed(rows.map((r) => r.text));
  await store.addChunks(rows.map((r, i) => ({ ...r, vector: vecs[i]! })));
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hearth-rowids-'));
  store = await DocumentStore.open({ dir, embedder });
  // one fragment per document, so deleting one and compacting renumbers the others' row ids
  await addDoc('a', 10, 1);
  await addDoc('b', 10, 2);
  await addDoc('c', 10, 3);
  await store.ensureIndexes();
});
afterEach(async () => {
  await store.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** The reference answer: full rows read in the search itself, on the table as it is now. */
const fresh = (mode: RetrievalMode, k: number) => new HybridRetriever({ store, fetch: 'one-phase' }).retrieve(QUERY, { mode, k });

describe("HybridRetriever 'two-phase' (row ids) under concurrent writes", () => {
  it('store level: row refs list the same rows, order and scores as id refs; takeRows reads those rows; writes move the version', async () => {
    const [qv] = await embedder.embed([QUERY]);
    const text = await store.searchTextRowRefs(QUERY, { limit: 20 });
    const textIds = await store.searchTextRefs(QUERY, { limit: 20 });
    expect(text).toEqual(textIds.map((r) => ({ rowId: r.rowId, score: r.score })));
    const vec = await store.searchVectorRowRefs(qv!, { limit: 20, where: "doc_id = 'b'" });
    const vecIds = await store.searchVectorRefs(qv!, { limit: 20, where: "doc_id = 'b'" });
    expect(vec).toEqual(vecIds.map((r) => ({ rowId: r.rowId, score: r.score })));
    expect(vecIds.every((r) => r.id.startsWith('b:'))).toBe(true);
    const rows = await store.takeRows([...text.map((r) => r.rowId), text[0]!.rowId]);
    expect(rows.size).toBe(text.length);
    for (const r of textIds) {
      const { chunkIndex: _c, createdAt: _t, ...passage } = (await store.getChunk(r.id))!;
      expect(rows.get(r.rowId!)).toEqual(passage);
    }
    expect((await store.takeRows([])).size).toBe(0);
    const v = await store.version();
    expect(await store.version()).toBe(v); // reads do not move it
    await store.deleteDocument('c');
    expect(await store.version()).toBeGreaterThan(v);
  });

  for (const write of ['delete', 'delete+compact'] as const) {
    it(`a ${write} between search and take makes the query retry; the answer is a fresh query's on the new state`, async () => {
      const before = await new HybridRetriever({ store }).retrieve(QUERY, { mode: 'hybrid-rrf', k: 20 });
      expect(new Set(before.map((p) => p.docId))).toEqual(new Set(['a', 'b', 'c']));
      const take = store.takeRows.bind(store);
      let writes = 0;
      const takeRows = vi.spyOn(store, 'takeRows').mockImplementation(async (rowIds) => {
        if (writes++ === 0) {
          await store.deleteDocument('a');
          if (write === 'delete+compact') await store.optimize();
        }
        return take(rowIds);
      });
      const search = vi.spyOn(store, 'searchTextRowRefs');
      const r = new HybridRetriever({ store });
      const after = await r.retrieve(QUERY, { mode: 'hybrid-rrf', k: 8 });
      expect(search).toHaveBeenCalledTimes(2); // the first answer was discarded
      expect(takeRows.mock.calls.length).toBeGreaterThanOrEqual(2);
      takeRows.mockRestore();
      search.mockRestore();
      expect(after.some((p) => p.docId === 'a')).toBe(false);
      expect(after).toEqual(await fresh('hybrid-rrf', 8));
      // every passage's text is its own chunk's (a stale row id would have paired an id with another row)
      for (const p of after) expect(p.text).toBe((await store.getChunk(p.chunkId))!.text);
    });
  }

  it('falls back to the id path when every row-id attempt sees a new version', async () => {
    const take = store.takeRows.bind(store);
    let n = 0;
    const takeRows = vi.spyOn(store, 'takeRows').mockImplementation(async (rowIds) => {
      await addDoc(`x${n++}`, 1, 100 + n); // another writer commits each time
      return take(rowIds);
    });
    const rowSearch = vi.spyOn(store, 'searchTextRowRefs');
    const idSearch = vi.spyOn(store, 'searchTextRefs');
    for (const mode of ['hybrid-rrf', 'bm25'] as const) {
      rowSearch.mockClear();
      idSearch.mockClear();
      const got = await new HybridRetriever({ store }).retrieve(QUERY, { mode, k: 6 });
      expect(rowSearch).toHaveBeenCalledTimes(2);
      expect(idSearch).toHaveBeenCalledTimes(1);
      takeRows.mockImplementation(take);
      expect(got).toEqual(await fresh(mode, 6));
      takeRows.mockImplementation(async (rowIds) => {
        await addDoc(`x${n++}`, 1, 100 + n);
        return take(rowIds);
      });
    }
    takeRows.mockRestore();
  });
});
