import { mkdir } from 'node:fs/promises';
import './lanceCpuThreads.js'; // must run before LanceDB starts its runtime (deadlock on ≤ 2 cores)
import * as lancedb from '@lancedb/lancedb';
import { Field, FixedSizeList, Float32, Float64, Int32, List, Schema, Utf8, type Table as ArrowTable } from 'apache-arrow';
import { AppError } from '../../../shared/errors.js';
import type { Embedder } from './EmbedderContract.js';
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
}

/** A stored chunk as read back (no vector, no score). */
export type StoredChunk = Omit<ChunkRow, 'vector'>;

/** Where a chunk is: its id, and the Lance row id it had when a search found it (a fast path for {@link DocumentStore.getChunks}). */
export interface ChunkAddress {
  id: string;
  /** Lance `_rowid`. Changes when compaction rewrites the row's fragment; getChunks then falls back to the id. */
  rowId?: bigint;
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
   * ANN index type, built once the table has {@link vectorIndexThreshold} rows. Default 'ivf_flat'.
   * Measured (`npm run bench:retrieval -- --sizes 10000,30000 --ann ivf_flat,hnsw_sq`, 384-d clustered
   * vectors, 2 shared cores): at 30k rows IVF_FLAT built in 11.9 s with recall@10 1.000 and dense p50
   * 54.5 ms; HNSW_SQ built in 101.7 s with recall@10 0.990 and dense p50 43.6 ms; flat scan was 222.6 ms.
   * Similar query speed, ~8× cheaper build and exact vectors → IVF_FLAT (nprobes 20).
   */
  vectorIndex?: VectorIndexType;
  /** Row count at which the ANN index is built. Default 20_000 (flat dense p50 was 46.5 ms at 10k, 222.6 ms at 30k). */
  vectorIndexThreshold?: number;
}

/** Columns a first-stage search reads: no text, no parent text (those are most of the bytes). */
const REF_COLUMNS = ['id', 'parent_id'];

const SEARCH_COLUMNS = [
  'id', 'doc_id', 'text', 'page', 'page_end', 'char_start', 'char_end', 'chunk_index', 'parent_id', 'parent_text',
  'parent_char_start', 'parent_char_end', 'title', 'tags', 'collection', 'created_at',
];

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
 * Arrow → plain rows, column by column. Measured the same as `toArray()` within noise (the cost of a
 * full-row search is LanceDB decoding the columns, not the JS conversion); used so every read path
 * goes through one conversion that also carries `_rowid`.
 */
function rowsOf(table: ArrowTable): Row[] {
  const cols = table.schema.fields.map((f) => [f.name, table.getChild(f.name)!] as const);
  const out: Row[] = new Array<Row>(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const r: Row = {};
    for (const [name, col] of cols) r[name] = col.get(i);
    out[i] = r;
  }
  return out;
}

/**
 * Equal BM25 scores are common (same term counts in same-length chunks) and LanceDB returns tied FTS
 * hits in a different order from run to run; ordering ties by id makes ranks repeatable. (Which of
 * the tied hits make the `limit` cut is still LanceDB's choice.)
 */
function byScoreThenId<T extends { id: string; score: number }>(hits: T[]): T[] {
  return hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function refsOf(table: ArrowTable, score: (raw: number) => number, scoreColumn: string): ScoredChunkRef[] {
  const id = table.getChild('id')!;
  const parent = table.getChild('parent_id')!;
  const raw = table.getChild(scoreColumn)!;
  const rowId = table.getChild('_rowid')!;
  const out: ScoredChunkRef[] = new Array<ScoredChunkRef>(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    out[i] = { id: String(id.get(i)), rowId: rowId.get(i) as bigint, parentId: (parent.get(i) as string | null) ?? null, score: score(Number(raw.get(i))) };
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
    id: String(r.id), docId: String(r.doc_id), text: String(r.text), page: Number(r.page), pageEnd: Number(r.page_end),
    charStart: Number(r.char_start), charEnd: Number(r.char_end), chunkIndex: Number(r.chunk_index),
    parentId: (r.parent_id as string | null) ?? null, parentText: (r.parent_text as string | null) ?? null,
    parentCharStart: (r.parent_char_start as number | null) ?? null, parentCharEnd: (r.parent_char_end as number | null) ?? null,
    title: String(r.title), tags: tagsOf(r.tags), collection: String(r.collection), createdAt: Number(r.created_at), score,
  };
}

function storedChunkFromRow(r: Row): StoredChunk {
  const { score: _score, ...chunk } = hitFromRow(r, 0);
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
      options.dir, options.embedder, db, chunks, documents, options.vectorIndex ?? 'ivf_flat', options.vectorIndexThreshold ?? 20_000,
    );
    const indices = await chunks.listIndices();
    store.ftsReady = indices.some((i) => i.columns.includes('text'));
    store.vectorIndexed = indices.some((i) => i.columns.includes('vector'));
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
    return byScoreThenId(rowsOf(await q.select([...SEARCH_COLUMNS, '_score']).toArrow()).map((r) => hitFromRow(r, Number(r._score))));
  }

  /**
   * BM25 full-text search returning only id, parent id and score: the first stage of a two-phase
   * retrieval (fuse on ids, then {@link getChunks} for the final top-k). Same order as {@link searchText}.
   */
  async searchTextRefs(query: string, options: { limit: number; where?: string }): Promise<ScoredChunkRef[]> {
    const q = await this.textQuery(query, options);
    if (!q) return [];
    return byScoreThenId(refsOf(await q.select([...REF_COLUMNS, '_score']).withRowId().toArrow(), (s) => s, '_score'));
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

  /** Nearest neighbours by cosine distance, full rows; score = 1 − distance (cosine similarity). Prefiltered. */
  async searchVector(vector: Float32Array | number[], options: VectorSearchOptions): Promise<ChunkHit[]> {
    const q = this.vectorQuery(vector, options).select([...SEARCH_COLUMNS, '_distance']);
    return rowsOf(await q.toArrow()).map((r) => hitFromRow(r, 1 - Number(r._distance)));
  }

  /** Like {@link searchVector} but returns only id, parent id and score (first stage of a two-phase retrieval). */
  async searchVectorRefs(vector: Float32Array | number[], options: VectorSearchOptions): Promise<ScoredChunkRef[]> {
    const q = this.vectorQuery(vector, options).select([...REF_COLUMNS, '_distance']).withRowId();
    return refsOf(await q.toArrow(), (d) => 1 - d, '_distance');
  }

  private vectorQuery(vector: Float32Array | number[], options: VectorSearchOptions): lancedb.VectorQuery {
    this.check();
    let q = this.chunks.query().nearestTo(vector instanceof Float32Array ? vector : Float32Array.from(vector)).distanceType('cosine').limit(options.limit);
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
      const rows = rowsOf(await this.chunks.takeRowIds([...byRowId.keys()]).select(SEARCH_COLUMNS).withRowId().toArrow());
      for (const r of rows) {
        const id = String(r.id);
        if (byRowId.get(r._rowid as bigint) === id) out.set(id, storedChunkFromRow(r));
      }
    }
    const rest = [...new Set(chunks.map((c) => c.id).filter((id) => !out.has(id)))];
    if (rest.length > 0) {
      const q = this.chunks.query().where(`id IN (${rest.map(sqlLiteral).join(', ')})`).select(SEARCH_COLUMNS).limit(rest.length);
      for (const r of rowsOf(await q.toArrow())) out.set(String(r.id), storedChunkFromRow(r));
    }
    return out;
  }

  private async ensureFtsIndex(): Promise<void> {
    await this.chunks.createIndex('text', { config: lancedb.Index.fts({ withPosition: false, stem: true, removeStopWords: true, lowercase: true }), replace: true });
    this.ftsReady = true;
  }

  /**
   * Builds missing indexes: FTS as soon as there are rows; the ANN index (IVF_FLAT by default, see
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
