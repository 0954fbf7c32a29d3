import { mkdir } from 'node:fs/promises';
import './lanceCpuThreads.js'; // must run before LanceDB starts its runtime (deadlock on ≤ 2 cores)
import * as lancedb from '@lancedb/lancedb';
import { Field, FixedSizeList, Float32, Float64, Int32, List, Schema, Utf8 } from 'apache-arrow';
import { AppError } from '../../../shared/errors.js';
import type { Embedder } from './EmbedderContract.js';
import { compareHits } from './compareHits.js';
import { sqlLiteral } from './sqlLiteral.js';

/** One indexed chunk. Offsets are into the parsed document text; `page` is 1-based. */
export interface ChunkRow {
  id: string;
  docId: string;
  text: string;
  vector: Float32Array | number[];
  page: number;
  pageEnd: number;
  charStart: number;
  charEnd: number;
  chunkIndex: number;
  /** Parent-document mode: the parent section this child belongs to. */
  parentId?: string | null;
  parentText?: string | null;
  parentCharStart?: number | null;
  parentCharEnd?: number | null;
  title: string;
  tags: string[];
  collection: string;
  /** Epoch ms. */
  createdAt: number;
}

export type DocumentStatus = 'pending' | 'indexed';

/** The manifest row per source file: what is indexed, from which content, in which state. */
export interface DocumentRecord {
  docId: string;
  path: string;
  contentHash: string;
  title: string;
  format: string;
  /** 'pending' while chunks are being written: a crash leaves it pending and the next ingest redoes the file. */
  status: DocumentStatus;
  chunkCount: number;
  pageCount: number;
  collection: string;
  tags: string[];
  embedderId: string;
  /** Epoch ms. */
  updatedAt: number;
}

/** A chunk returned by a search, with its raw score in that search's own scale. */
export interface ChunkHit extends Omit<ChunkRow, 'vector'> {
  /** BM25 score (FTS) or cosine similarity 1 − distance (vector). Higher is better. */
  score: number;
  /** Lance `_rowid` in the table version the search read (orders equal scores, see {@link compareHits}). */
  rowId: bigint;
}

/** A stored chunk as read back (no vector, no score). */
export type StoredChunk = Omit<ChunkRow, 'vector'>;

/** What a retrieved passage shows of a chunk: a {@link StoredChunk} without its chunk index and creation time. */
export type PassageRow = Omit<StoredChunk, 'chunkIndex' | 'createdAt'>;

/** Where a chunk is: its id, and the Lance row id it had when a search found it (a fast path for {@link DocumentStore.getChunks}). */
export interface ChunkAddress {
  id: string;
  /** Lance `_rowid`. Changes when compaction rewrites the row's fragment; getChunks then falls back to the id. */
  rowId?: bigint;
}

/**
 * A first-stage hit addressed by its Lance row id alone: no column of the row is read, so the search
 * skips its Take step (FTS 6.8 → 5.1 ms, HNSW_SQ 5.3 → 3.4 ms for 60 candidates at 100k chunks).
 * Valid only within the table version the search read: compaction renumbers rows, so callers pin the
 * version ({@link DocumentStore.version}) around the search and the {@link DocumentStore.takeRows} that follows.
 */
export interface RowRef {
  rowId: bigint;
  /** BM25 score (FTS) or cosine similarity 1 − distance (vector). Higher is better. */
  score: number;
}

/**
 * A first-stage hit without its text: what fusion needs (id, score, parent for collapsing). The
 * full rows are fetched afterwards for the final top-k only ({@link DocumentStore.getChunks}).
 */
export interface ScoredChunkRef extends ChunkAddress {
  parentId: string | null;
  /** BM25 score (FTS) or cosine similarity 1 − distance (vector). Higher is better. */
  score: number;
}

/** The store was built with a different embedder (vector width differs): re-index or pick that embedder. */
export class EmbedderMismatchError extends AppError {
  constructor(readonly dir: string, readonly storedDimensions: number, readonly embedderDimensions: number) {
    super('EMBEDDER_MISMATCH', `The store at ${dir} holds ${storedDimensions}-d vectors; the embedder makes ${embedderDimensions}-d.`, {
      details: { dir, storedDimensions, embedderDimensions },
    });
  }
}

export type VectorIndexType = 'hnsw_sq' | 'ivf_flat' | 'none';

export interface VectorSearchOptions {
  limit: number;
  /** From chunkFilterToSql (escaped). Prefilter: applied before the nearest-neighbour cut. */
  where?: string;
  /** IVF_FLAT partitions probed. Default 20. */
  nprobes?: number;
  /** HNSW_SQ candidate-list size: max(this, 2 × limit). Default 64. */
  ef?: number;
}

export interface DocumentStoreOptions {
  dir: string;
  embedder: Embedder;
  /**
   * Seconds between checks for other writers' commits. Default 0: every read sees the latest
   * commit (a cheap local manifest stat on disk; matters when the ingest and query paths hold
   * separate connections). Larger values trade freshness for a little latency.
   */
  readConsistencyIntervalSec?: number;
  /**
   * ANN index type, built once the table has {@link vectorIndexThreshold} rows. Default 'hnsw_sq'
   * (a store that already has an index keeps its type). Query speed decides: with the row-id first
   * stage, searching 60 candidates at 10k rows (384-d clustered vectors, 2 shared cores, load ~5) took
   * 3.2 ms with HNSW_SQ vs 12.6 ms with IVF_FLAT (nprobes 20) vs 26 ms flat; at 100k, HNSW_SQ 3.4 ms with
   * recall@10 0.98–0.99 against exact. HNSW_SQ builds slower (12.8 s at 10k vs 1.9 s; ~63 s at 100k on
   * a quiet machine) but the build is a one-off next to embedding the same chunks (minutes per
   * thousand with a real model). Earlier, before the query path was trimmed, the two were close at 30k
   * (IVF_FLAT 54.5 ms, HNSW_SQ 43.6 ms) and IVF_FLAT was the default for its ~8× cheaper build.
   */
  vectorIndex?: VectorIndexType;
  /**
   * Row count at which the ANN index is built. Default 5_000: below it the flat scan (dot product, see
   * {@link DocumentStore.searchVector}) costs ~1 ms per 1k rows on this machine, under HNSW_SQ's ~3 ms
   * only for small tables; the old default of 20_000 left 10k-chunk stores on a 26 ms cosine scan.
   */
  vectorIndexThreshold?: number;
}

/** Columns a first-stage search reads: no text, no parent text (those are most of the bytes). */
const REF_COLUMNS = ['id', 'parent_id'];

const SEARCH_COLUMNS = [
  'id', 'doc_id', 'text', 'page', 'page_end', 'char_start', 'char_end', 'chunk_index', 'parent_id', 'parent_text',
  'parent_char_start', 'parent_char_end', 'title', 'tags', 'collection', 'created_at',
];

/** {@link PassageRow}'s columns: a take costs ~0.2 ms per column read (14 vs 16 columns: 5.4 → 5.0 ms for 10 rows at 100k). */
const PASSAGE_COLUMNS = SEARCH_COLUMNS.filter((c) => c !== 'chunk_index' && c !== 'created_at');

function chunkSchema(dims: number): Schema {
  const s = (name: string, nullable = false) => new Field(name, new Utf8(), nullable);
  const i = (name: string, nullable = false) => new Field(name, new Int32(), nullable);
  return new Schema([
    s('id'), s('doc_id'), s('text'),
    new Field('vector', new FixedSizeList(dims, new Field('item', new Float32(), true)), false),
    i('page'), i('page_end'), i('char_start'), i('char_end'), i('chunk_index'),
    s('parent_id', true), s('parent_text', true), i('parent_char_start', true), i('parent_char_end', true),
    s('title'), new Field('tags', new List(new Field('item', new Utf8(), true)), false), s('collection'),
    new Field('created_at', new Float64(), false),
  ]);
}

function documentSchema(): Schema {
  const s = (name: string) => new Field(name, new Utf8(), false);
  const i = (name: string) => new Field(name, new Int32(), false);
  return new Schema([
    s('doc_id'), s('path'), s('content_hash'), s('title'), s('format'), s('status'), i('chunk_count'), i('page_count'),
    s('collection'), new Field('tags', new List(new Field('item', new Utf8(), true)), false), s('embedder_id'),
    new Field('updated_at', new Float64(), false),
  ]);
}

type Row = Record<string, unknown>;

/**
 * A query's rows, read until `maxRows` have arrived (its limit, or the number of row ids taken); the
 * stream is then dropped rather than read to its end, which in Lance is one more native round trip
 * plus the plan's teardown: 0.3–0.6 ms per query at 100k chunks, load ~5.7 (interleaved p50s: take of
 * 10 rows 7.5 → 6.9 ms, FTS 5.7 → 5.4 ms, HNSW_SQ 3.7 → 3.3 ms). A stream with fewer rows is read to its end.
 */
async function collect(query: AsyncIterable<Columns>, maxRows: number): Promise<Columns[]> {
  const batches: Columns[] = [];
  let rows = 0;
  for await (const batch of query) {
    batches.push(batch);
    rows += batch.numRows;
    if (rows >= maxRows) break;
  }
  return batches;
}

/**
 * What the row readers need of an Arrow table or record batch. Structural on purpose: LanceDB loads its
 * own (CommonJS) instance of apache-arrow, so its batches fail `instanceof` checks of ours (an Arrow
 * `Table` built here from them recurses forever).
 */
interface Columns {
  readonly numRows: number;
  readonly schema: { readonly fields: readonly { readonly name: string }[] };
  getChild(name: string): { get(index: number): unknown } | null;
}

/**
 * Arrow → plain rows, column by column. Measured the same as `toArray()` within noise (the cost of a
 * full-row search is LanceDB decoding the columns, not the JS conversion); used so every read path
 * goes through one conversion that also carries `_rowid`.
 */
function rowsOf(batches: readonly Columns[]): Row[] {
  const out: Row[] = [];
  for (const table of batches) {
    const cols = table.schema.fields.map((f) => [f.name, table.getChild(f.name)!] as const);
    for (let i = 0; i < table.numRows; i++) {
      const r: Row = {};
      for (const [name, col] of cols) r[name] = col.get(i);
      out.push(r);
    }
  }
  return out;
}

function rowRefsOf(batches: readonly Columns[], score: (raw: number) => number, scoreColumn: string): RowRef[] {
  const out: RowRef[] = [];
  for (const table of batches) {
    const raw = table.getChild(scoreColumn)!;
    const rowId = table.getChild('_rowid')!;
    for (let i = 0; i < table.numRows; i++) out.push({ rowId: rowId.get(i) as bigint, score: score(Number(raw.get(i))) });
  }
  return out;
}

function refsOf(batches: readonly Columns[], score: (raw: number) => number, scoreColumn: string): ScoredChunkRef[] {
  const out: ScoredChunkRef[] = [];
  for (const table of batches) {
    const id = table.getChild('id')!;
    const parent = table.getChild('parent_id')!;
    const raw = table.getChild(scoreColumn)!;
    const rowId = table.getChild('_rowid')!;
    for (let i = 0; i < table.numRows; i++) {
      out.push({ id: String(id.get(i)), rowId: rowId.get(i) as bigint, parentId: (parent.get(i) as string | null) ?? null, score: score(Number(raw.get(i))) });
    }
  }
  return out;
}

function tagsOf(v: unknown): string[] {
  if (v == null) return [];
  if (Array.isArray(v)) return v.map(String);
  const maybe = v as { toArray?: () => unknown[] };
  return typeof maybe.toArray === 'function' ? maybe.toArray().map(String) : [];
}

function hitFromRow(r: Row, score: number): ChunkHit {
  return {
    rowId: r._rowid as bigint,
    id: String(r.id), docId: String(r.doc_id), text: String(r.text), page: Number(r.page), pageEnd: Number(r.page_end),
    charStart: Number(r.char_start), charEnd: Number(r.char_end), chunkIndex: Number(r.chunk_index),
    parentId: (r.parent_id as string | null) ?? null, parentText: (r.parent_text as string | null) ?? null,
    parentCharStart: (r.parent_char_start as number | null) ?? null, parentCharEnd: (r.parent_char_end as number | null) ?? null,
    title: String(r.title), tags: tagsOf(r.tags), collection: String(r.collection), createdAt: Number(r.created_at), score,
  };
}

function passageRowFromRow(r: Row): PassageRow {
  return {
    id: String(r.id), docId: String(r.doc_id), text: String(r.text), page: Number(r.page), pageEnd: Number(r.page_end),
    charStart: Number(r.char_start), charEnd: Number(r.char_end),
    parentId: (r.parent_id as string | null) ?? null, parentText: (r.parent_text as string | null) ?? null,
    parentCharStart: (r.parent_char_start as number | null) ?? null, parentCharEnd: (r.parent_char_end as number | null) ?? null,
    title: String(r.title), tags: tagsOf(r.tags), collection: String(r.collection),
  };
}

function storedChunkFromRow(r: Row): StoredChunk {
  const { score: _score, rowId: _rowId, ...chunk } = hitFromRow(r, 0);
  return chunk;
}

function docFromRow(r: Row): DocumentRecord {
  return {
    docId: String(r.doc_id), path: String(r.path), contentHash: String(r.content_hash), title: String(r.title), format: String(r.format),
    status: r.status as DocumentStatus, chunkCount: Number(r.chunk_count), pageCount: Number(r.page_count), collection: String(r.collection),
    tags: tagsOf(r.tags), embedderId: String(r.embedder_id), updatedAt: Number(r.updated_at),
  };
}

/**
 * The LanceDB-backed chunk store (embedded, one folder). Tables: `chunks` (text, vector, offsets,
 * parent section, metadata) and `documents` (the per-file ingest manifest). Indexes: a BM25 FTS
 * index on `chunks.text` (created lazily, refreshed by {@link optimize}; rows added since are still
 * searched, unindexed, so results are never stale) and an ANN vector index past a row threshold.
 * Cosine distance throughout (embedders return unit vectors).
 */
export class DocumentStore {
  private disposed = false;
  private ftsReady = false;
  private idIndexed = false;
  private vectorIndexed = false;
  /** Rows added since the last optimize(); drives the compaction schedule. */
  private rowsSinceOptimize = 0;

  private constructor(
    readonly dir: string,
    readonly embedder: Embedder,
    private readonly db: lancedb.Connection,
    private readonly chunks: lancedb.Table,
    private readonly documents: lancedb.Table,
    private vectorIndex: VectorIndexType,
    private readonly vectorIndexThreshold: number,
  ) {}

  static async open(options: DocumentStoreOptions): Promise<DocumentStore> {
    await mkdir(options.dir, { recursive: true });
    const db = await lancedb.connect(options.dir, { readConsistencyInterval: options.readConsistencyIntervalSec ?? 0 });
    const names = new Set(await db.tableNames());
    const dims = options.embedder.dimensions;
    let chunks: lancedb.Table;
    if (names.has('chunks')) {
      chunks = await db.openTable('chunks');
      const vec = (await chunks.schema()).fields.find((f) => f.name === 'vector');
      const stored = (vec?.type as FixedSizeList | undefined)?.listSize ?? -1;
      if (stored !== dims) {
        chunks.close();
        db.close();
        throw new EmbedderMismatchError(options.dir, stored, dims);
      }
    } else chunks = await db.createEmptyTable('chunks', chunkSchema(dims), { existOk: true });
    const documents = names.has('documents')
      ? await db.openTable('documents')
      : await db.createEmptyTable('documents', documentSchema(), { existOk: true });
    const store = new DocumentStore(
      options.dir, options.embedder, db, chunks, documents, options.vectorIndex ?? 'hnsw_sq', options.vectorIndexThreshold ?? 5_000,
    );
    const indices = await chunks.listIndices();
    store.ftsReady = indices.some((i) => i.columns.includes('text'));
    const vectorIndex = indices.find((i) => i.columns.includes('vector'));
    store.vectorIndexed = vectorIndex !== undefined;
    // an existing index keeps its type (its query knobs, ef or nprobes, must match it)
    if (vectorIndex?.indexType === 'IvfHnswSq') store.vectorIndex = 'hnsw_sq';
    else if (vectorIndex?.indexType === 'IvfFlat') store.vectorIndex = 'ivf_flat';
    store.idIndexed = indices.some((i) => i.columns.includes('id'));
    return store;
  }

  private check(): void {
    if (this.disposed) throw new AppError('INTERNAL', 'DocumentStore used after dispose()');
  }

  async addChunks(rows: readonly ChunkRow[]): Promise<void> {
    this.check();
    if (rows.length === 0) return;
    await this.chunks.add(
      rows.map((r) => ({
        id: r.id, doc_id: r.docId, text: r.text, vector: Array.from(r.vector), page: r.page, page_end: r.pageEnd,
        char_start: r.charStart, char_end: r.charEnd, chunk_index: r.chunkIndex, parent_id: r.parentId ?? null,
        parent_text: r.parentText ?? null, parent_char_start: r.parentCharStart ?? null, parent_char_end: r.parentCharEnd ?? null,
        title: r.title, tags: r.tags, collection: r.collection, created_at: r.createdAt,
      })),
    );
    this.rowsSinceOptimize += rows.length;
  }

  /** Removes a document's chunks (all of them, including a half-written ingest). */
  async deleteChunks(docId: string): Promise<void> {
    this.check();
    await this.chunks.delete(`doc_id = ${sqlLiteral(docId)}`);
  }

  /** Removes a document's chunks and its manifest row. */
  async deleteDocument(docId: string): Promise<void> {
    await this.deleteChunks(docId);
    await this.documents.delete(`doc_id = ${sqlLiteral(docId)}`);
  }

  async upsertDocument(doc: DocumentRecord): Promise<void> {
    this.check();
    await this.documents
      .mergeInsert('doc_id')
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .execute([
        {
          doc_id: doc.docId, path: doc.path, content_hash: doc.contentHash, title: doc.title, format: doc.format, status: doc.status,
          chunk_count: doc.chunkCount, page_count: doc.pageCount, collection: doc.collection, tags: doc.tags,
          embedder_id: doc.embedderId, updated_at: doc.updatedAt,
        },
      ]);
  }

  async getDocument(docId: string): Promise<DocumentRecord | undefined> {
    return (await this.listDocuments({ where: `doc_id = ${sqlLiteral(docId)}` }))[0];
  }

  async findDocumentsByHash(contentHash: string): Promise<DocumentRecord[]> {
    return this.listDocuments({ where: `content_hash = ${sqlLiteral(contentHash)}` });
  }

  async listDocuments(options: { where?: string; status?: DocumentStatus } = {}): Promise<DocumentRecord[]> {
    this.check();
    let q = this.documents.query();
    const where = [options.where, options.status ? `status = ${sqlLiteral(options.status)}` : undefined].filter(Boolean).join(' AND ');
    if (where) q = q.where(where);
    return ((await q.toArray()) as Row[]).map(docFromRow);
  }

  async countChunks(docId?: string): Promise<number> {
    this.check();
    return this.chunks.countRows(docId === undefined ? undefined : `doc_id = ${sqlLiteral(docId)}`);
  }

  /** One chunk by id (without its vector), or undefined. The citation panel opens passages with this. */
  async getChunk(id: string): Promise<StoredChunk | undefined> {
    this.check();
    const rows = (await this.chunks.query().where(`id = ${sqlLiteral(id)}`).select(SEARCH_COLUMNS).limit(1).toArray()) as Row[];
    return rows[0] === undefined ? undefined : storedChunkFromRow(rows[0]);
  }

  /** A document's chunks with `from <= chunkIndex <= to` (inclusive), in chunk order, without vectors. */
  async listChunks(docId: string, range: { from: number; to: number }): Promise<StoredChunk[]> {
    this.check();
    const where = `doc_id = ${sqlLiteral(docId)} AND chunk_index >= ${sqlLiteral(Math.trunc(range.from))} AND chunk_index <= ${sqlLiteral(Math.trunc(range.to))}`;
    const rows = (await this.chunks.query().where(where).select(SEARCH_COLUMNS).toArray()) as Row[];
    return rows.map(storedChunkFromRow).sort((a, b) => a.chunkIndex - b.chunkIndex);
  }

  /** BM25 full-text search over chunk text, full rows in one query. `where` must come from chunkFilterToSql (escaped). */
  async searchText(query: string, options: { limit: number; where?: string }): Promise<ChunkHit[]> {
    const q = await this.textQuery(query, options);
    if (!q) return [];
    return rowsOf([await q.select([...SEARCH_COLUMNS, '_score']).withRowId().toArrow()]).map((r) => hitFromRow(r, Number(r._score))).sort(compareHits);
  }

  /**
   * BM25 full-text search returning only id, parent id and score: the first stage of a two-phase
   * retrieval (fuse on ids, then {@link getChunks} for the final top-k). Same order as {@link searchText}.
   */
  async searchTextRefs(query: string, options: { limit: number; where?: string }): Promise<ScoredChunkRef[]> {
    const q = await this.textQuery(query, options);
    if (!q) return [];
    return refsOf(await collect(q.select([...REF_COLUMNS, '_score']).withRowId(), options.limit), (s) => s, '_score').sort(compareHits);
  }

  /**
   * BM25 full-text search returning only row ids and scores ({@link RowRef}, same order as
   * {@link searchText}); the rows are read afterwards with {@link takeRows} in the same table version.
   */
  async searchTextRowRefs(query: string, options: { limit: number; where?: string }): Promise<RowRef[]> {
    const q = await this.textQuery(query, options);
    if (!q) return [];
    return rowRefsOf(await collect(q.select(['_score']).withRowId(), options.limit), (s) => s, '_score').sort(compareHits);
  }

  private async textQuery(query: string, options: { limit: number; where?: string }): Promise<lancedb.Query | undefined> {
    this.check();
    if (!query.trim()) return undefined;
    if (!this.ftsReady) {
      if ((await this.chunks.countRows()) === 0) return undefined;
      await this.ensureFtsIndex();
    }
    const q = this.chunks.query().fullTextSearch(query, { columns: ['text'] }).limit(options.limit);
    return options.where ? q.where(options.where) : q;
  }

  /**
   * Nearest neighbours by cosine distance, full rows; score = 1 − distance (cosine similarity). Prefiltered.
   * Without an ANN index the flat scan uses the dot product: for unit vectors (the {@link Embedder}
   * contract) it ranks and scores exactly as cosine (Lance's dot distance is 1 − x·y) and skips the two
   * norms per row: 11 vs 26 ms at 10k rows. (A vector index built by another connection after this store
   * was opened is cosine: a dot query then still answers correctly, by brute force, until reopened.)
   */
  async searchVector(vector: Float32Array | number[], options: VectorSearchOptions): Promise<ChunkHit[]> {
    const q = this.vectorQuery(vector, options).select([...SEARCH_COLUMNS, '_distance']).withRowId();
    return rowsOf([await q.toArrow()]).map((r) => hitFromRow(r, 1 - Number(r._distance))).sort(compareHits);
  }

  /** Like {@link searchVector} but returns only id, parent id and score (first stage of a two-phase retrieval). */
  async searchVectorRefs(vector: Float32Array | number[], options: VectorSearchOptions): Promise<ScoredChunkRef[]> {
    const q = this.vectorQuery(vector, options).select([...REF_COLUMNS, '_distance']).withRowId();
    return refsOf(await collect(q, options.limit), (d) => 1 - d, '_distance').sort(compareHits);
  }

  /** Like {@link searchVector} but returns only row ids and scores ({@link RowRef}); see {@link searchTextRowRefs}. */
  async searchVectorRowRefs(vector: Float32Array | number[], options: VectorSearchOptions): Promise<RowRef[]> {
    const q = this.vectorQuery(vector, options).select(['_distance']).withRowId();
    return rowRefsOf(await collect(q, options.limit), (d) => 1 - d, '_distance').sort(compareHits);
  }

  /**
   * The table version reads see now (with the default `readConsistencyIntervalSec` 0, the latest
   * commit: ~0.2 ms, a manifest check). Equal versions before a row-ref search and after its
   * {@link takeRows} prove the row ids addressed the same rows.
   */
  async version(): Promise<number> {
    this.check();
    return this.chunks.version();
  }

  /**
   * Passage rows by Lance row id, as found by a row-ref search in the same table version
   * ({@link version}); keyed by row id. One take: 10 rows at 100k chunks ~4.5 ms, most of it the 14
   * columns' random reads (the `tags` list column alone ~1.3 ms). A row id from another version may
   * address another row or none: check the version, this method cannot.
   */
  async takeRows(rowIds: readonly bigint[]): Promise<Map<bigint, PassageRow>> {
    this.check();
    const out = new Map<bigint, PassageRow>();
    if (rowIds.length === 0) return out;
    const distinct = [...new Set(rowIds)];
    for (const r of rowsOf(await collect(this.chunks.takeRowIds(distinct).select(PASSAGE_COLUMNS).withRowId(), distinct.length))) {
      out.set(r._rowid as bigint, passageRowFromRow(r));
    }
    return out;
  }

  private vectorQuery(vector: Float32Array | number[], options: VectorSearchOptions): lancedb.VectorQuery {
    this.check();
    const metric = this.vectorIndexed ? 'cosine' : 'dot';
    let q = this.chunks.query().nearestTo(vector instanceof Float32Array ? vector : Float32Array.from(vector)).distanceType(metric).limit(options.limit);
    if (this.vectorIndexed && this.vectorIndex === 'hnsw_sq') q = q.ef(Math.max(options.ef ?? 64, options.limit * 2));
    if (this.vectorIndexed && this.vectorIndex === 'ivf_flat') q = q.nprobes(options.nprobes ?? 20);
    return options.where ? q.where(options.where) : q;
  }

  /**
   * Full rows (without vectors) for the given chunks: the second phase of a two-phase retrieval.
   * Chunks with a `rowId` are read by row id (one take: 2.5 ms for 10 rows at 100k chunks, where
   * `id IN (…)` was 7.3 ms with the BTREE index on `id` and 22 ms without); a row whose id no longer
   * matches (compaction rewrote its fragment, or it was deleted) is looked up again by id. Chunks that
   * no longer exist are absent from the map.
   */
  async getChunks(chunks: readonly ChunkAddress[]): Promise<Map<string, StoredChunk>> {
    this.check();
    const out = new Map<string, StoredChunk>();
    const byRowId = new Map<bigint, string>();
    for (const c of chunks) if (c.rowId !== undefined) byRowId.set(c.rowId, c.id);
    if (byRowId.size > 0) {
      const rows = rowsOf(await collect(this.chunks.takeRowIds([...byRowId.keys()]).select(SEARCH_COLUMNS).withRowId(), byRowId.size));
      for (const r of rows) {
        const id = String(r.id);
        if (byRowId.get(r._rowid as bigint) === id) out.set(id, storedChunkFromRow(r));
      }
    }
    const rest = [...new Set(chunks.map((c) => c.id).filter((id) => !out.has(id)))];
    if (rest.length > 0) {
      const q = this.chunks.query().where(`id IN (${rest.map(sqlLiteral).join(', ')})`).select(SEARCH_COLUMNS).limit(rest.length);
      for (const r of rowsOf([await q.toArrow()])) out.set(String(r.id), storedChunkFromRow(r));
    }
    return out;
  }

  private async ensureFtsIndex(): Promise<void> {
    await this.chunks.createIndex('text', { config: lancedb.Index.fts({ withPosition: false, stem: true, removeStopWords: true, lowercase: true }), replace: true });
    this.ftsReady = true;
  }

  /**
   * Builds missing indexes: FTS as soon as there are rows; the ANN index (HNSW_SQ by default, see
   * {@link DocumentStoreOptions.vectorIndex} for the measurements) once the row count passes the threshold.
   */
  async ensureIndexes(): Promise<{ fts: boolean; vector: boolean }> {
    this.check();
    const rows = await this.chunks.countRows();
    if (rows > 0 && !this.ftsReady) await this.ensureFtsIndex();
    if (rows > 0 && !this.idIndexed) {
      // BTREE on id: getChunk (citation panel) and getChunks' fallback become index lookups instead of scans.
      await this.chunks.createIndex('id', { config: lancedb.Index.btree(), replace: true });
      this.idIndexed = true;
    }
    if (!this.vectorIndexed && this.vectorIndex !== 'none' && rows >= this.vectorIndexThreshold) {
      await this.buildVectorIndex(this.vectorIndex, rows);
    }
    return { fts: this.ftsReady, vector: this.vectorIndexed };
  }

  /** (Re)builds the ANN index of the given type now, regardless of the threshold (benchmarks, tests). */
  async buildVectorIndex(type: Exclude<VectorIndexType, 'none'>, rows?: number): Promise<void> {
    this.check();
    const n = rows ?? (await this.chunks.countRows());
    const numPartitions = Math.max(1, Math.round(Math.sqrt(n)));
    const config =
      type === 'hnsw_sq'
        ? lancedb.Index.hnswSq({ distanceType: 'cosine', numPartitions: Math.max(1, Math.round(n / 100_000)) })
        : lancedb.Index.ivfFlat({ distanceType: 'cosine', numPartitions });
    await this.chunks.createIndex('vector', { config, replace: true });
    this.vectorIndex = type;
    this.vectorIndexed = true;
  }

  /**
   * Compacts small fragments, folds new rows into the indexes and drops old versions. Call after a
   * large ingest ({@link optimizeIfDue}); cheap when nothing changed.
   */
  async optimize(): Promise<void> {
    this.check();
    const older = new Date(Date.now() - 60_000);
    await this.chunks.optimize({ cleanupOlderThan: older });
    await this.documents.optimize({ cleanupOlderThan: older });
    this.rowsSinceOptimize = 0;
  }

  /** Runs {@link optimize} when at least `minNewRows` (default 5_000) rows were added since the last one. */
  async optimizeIfDue(minNewRows = 5_000): Promise<boolean> {
    if (this.rowsSinceOptimize < minNewRows) return false;
    await this.optimize();
    return true;
  }

  /** Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.chunks.close();
    this.documents.close();
    this.db.close();
  }
}
