import { ParseWorkerCrashedError } from './ParseWorkerCrashedError.js';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import nodePath from 'node:path';
import { AppError, isAppError } from '../../../shared/errors.js';
import type { DocumentRecord, DocumentStore, Embedder } from '../retrieval/index.js';
import { ParseWorkerPool } from './ParseWorkerPool.js';
import type { ParsedDocument } from './ParsedDocument.js';
import { chunkDocument, type TextChunk } from './chunkDocument.js';
import { DocumentTooLargeError, DocumentUnreadableError, IngestCancelledError, UnsupportedFormatError } from './errors.js';
import { DEFAULT_MAX_BYTES, SUPPORTED_EXTENSIONS } from './parseFile.js';

export type IngestPhase = 'parse' | 'chunk' | 'embed' | 'index' | 'done' | 'error';

export interface IngestProgress {
  file: string;
  phase: IngestPhase;
  filesDone: number;
  filesTotal: number;
  chunksDone: number;
  /** Chunks known so far (grows as files are chunked). */
  chunksTotal: number;
  /** Estimated ms to finish, from throughput so far; null until one file has finished. */
  etaMs: number | null;
  /** Set with phase 'error'. */
  error?: AppError;
}

export interface IngestOptions {
  collection?: string;
  tags?: string[];
  onProgress?: (p: IngestProgress) => void;
  signal?: AbortSignal;
  /** Per-file size cap. Default 100 MiB. */
  maxBytes?: number;
  /** Child chunk size in embedder tokens. Default 256. */
  chunkTokens?: number;
  /** Default 32. */
  overlapTokens?: number;
  /** Parent-document mode: parent size in tokens (children are `chunkTokens`). Default off. */
  parentChunkTokens?: number;
  /** Texts per embed() call. Default 32: large enough to amortise per-call cost, small enough for timely progress/abort. */
  embedBatchSize?: number;
}

export type IngestFileStatus = 'indexed' | 'unchanged' | 'duplicate' | 'error';

export interface IngestFileResult {
  path: string;
  docId: string;
  status: IngestFileStatus;
  chunks: number;
  pages: number;
  /** For 'duplicate': the already indexed document with the same content hash. */
  duplicateOf?: string;
  /** For 'error': the typed per-file failure (DOCUMENT_*, UNSUPPORTED_FORMAT). */
  error?: AppError;
}

export interface IngestReport {
  files: IngestFileResult[];
  chunksIndexed: number;
  pagesParsed: number;
  elapsedMs: number;
}

/** Stable document id for a file path (re-ingesting the same path replaces, never duplicates). */
export function documentIdForPath(path: string): string {
  return 'doc_' + createHash('sha256').update(nodePath.resolve(path)).digest('hex').slice(0, 24);
}

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Turns files into indexed chunks: parse (worker thread) → chunk (embedder tokens) → embed
 * (batched) → write to the {@link DocumentStore}. Per file:
 * - unchanged content (same path, same sha256, status indexed) is skipped; the same content under
 *   another path is recorded as a duplicate and not indexed twice;
 * - a changed file replaces its old chunks; a file that fails keeps its previously indexed version;
 * - the manifest row is written 'pending' before chunks and 'indexed' after, so a crash or abort
 *   mid-file is redone by the next ingest (or {@link resumePending}).
 * Failures of one file (typed DOCUMENT_* / UNSUPPORTED_FORMAT errors) never stop the others.
 * The next file is parsed while the current one embeds.
 */
export class Ingestor {
  private disposed = false;

  private constructor(
    readonly store: DocumentStore,
    private readonly embedder: Embedder,
    private readonly parser: ParseWorkerPool,
  ) {}

  /** `parser` defaults to a fresh {@link ParseWorkerPool} (owned and disposed by this Ingestor either way). */
  static async create(options: { store: DocumentStore; parser?: ParseWorkerPool }): Promise<Ingestor> {
    return new Ingestor(options.store, options.store.embedder, options.parser ?? (await ParseWorkerPool.create()));
  }

  async ingest(paths: readonly string[], options: IngestOptions = {}): Promise<IngestReport> {
    if (this.disposed) throw new AppError('INTERNAL', 'Ingestor used after dispose()');
    const t0 = performance.now();
    const files = paths.map((p) => nodePath.resolve(p));
    const results: IngestFileResult[] = [];
    const state = { filesDone: 0, chunksDone: 0, chunksTotal: 0 };
    const emit = (file: string, phase: IngestPhase, error?: AppError): void => {
      if (!options.onProgress) return;
      const elapsed = performance.now() - t0;
      const etaMs = state.filesDone === 0 ? null : Math.round((elapsed / state.filesDone) * (files.length - state.filesDone));
      options.onProgress({ file, phase, filesDone: state.filesDone, filesTotal: files.length, chunksDone: state.chunksDone, chunksTotal: state.chunksTotal, etaMs, ...(error ? { error } : {}) });
    };
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    // One file of lookahead: parse i+1 in the worker while i embeds on this thread.
    const prepared = new Map<number, Promise<Prepared>>();
    const runHashes = new Map<string, string>(); // content hash → docId, for duplicates within this run
    const prepare = (i: number): Promise<Prepared> => {
      let p = prepared.get(i);
      if (!p) {
        p = this.prepare(files[i]!, maxBytes, runHashes);
        p.catch(() => undefined); // observed later via await; avoid an unhandled rejection meanwhile
        prepared.set(i, p);
      }
      return p;
    };
    let pagesParsed = 0;
    for (let i = 0; i < files.length; i++) {
      const file = files[i]!;
      if (options.signal?.aborted) throw new IngestCancelledError(state.filesDone);
      emit(file, 'parse');
      const docId = documentIdForPath(file);
      try {
        const prep = await prepare(i);
        if (i + 1 < files.length) void prepare(i + 1);
        if (prep.kind !== 'parsed') {
          results.push({ path: file, docId, status: prep.kind, chunks: 0, pages: 0, ...(prep.duplicateOf ? { duplicateOf: prep.duplicateOf } : {}) });
        } else {
          pagesParsed += prep.doc.pages.length;
          const n = await this.indexDocument(file, docId, prep, options, state, emit);
          results.push({ path: file, docId, status: 'indexed', chunks: n, pages: prep.doc.pages.length });
        }
        state.filesDone++;
        emit(file, 'done');
      } catch (e) {
        if (options.signal?.aborted) throw new IngestCancelledError(state.filesDone);
        if (!isPerFileError(e)) throw e;
        state.filesDone++;
        results.push({ path: file, docId, status: 'error', chunks: 0, pages: 0, error: e });
        emit(file, 'error', e);
      }
    }
    if (results.some((r) => r.status === 'indexed')) {
      await this.store.ensureIndexes();
      await this.store.optimizeIfDue();
    }
    return { files: results, chunksIndexed: state.chunksDone, pagesParsed, elapsedMs: performance.now() - t0 };
  }

  /** Re-runs every file whose manifest row is still 'pending' (an ingest that crashed or was aborted). */
  async resumePending(options: IngestOptions = {}): Promise<IngestReport> {
    const pending = await this.store.listDocuments({ status: 'pending' });
    return this.ingest(pending.map((d) => d.path), { collection: pending[0]?.collection, tags: pending[0]?.tags, ...options });
  }

  /** Removes a document (by id or by its file path) and all its chunks. */
  async remove(docIdOrPath: string): Promise<void> {
    const docId = docIdOrPath.startsWith('doc_') ? docIdOrPath : documentIdForPath(docIdOrPath);
    await this.store.deleteDocument(docId);
  }

  private async prepare(file: string, maxBytes: number, runHashes: Map<string, string>): Promise<Prepared> {
    const ext = nodePath.extname(file).toLowerCase();
    if (!(SUPPORTED_EXTENSIONS as readonly string[]).includes(ext)) throw new UnsupportedFormatError(file, ext);
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch (e) {
      throw new DocumentUnreadableError(file, (e as Error).message, e);
    }
    if (size > maxBytes) throw new DocumentTooLargeError(file, size, maxBytes);
    const hash = await hashFile(file).catch((e: unknown) => {
      throw new DocumentUnreadableError(file, (e as Error).message, e);
    });
    const docId = documentIdForPath(file);
    const existing = await this.store.getDocument(docId);
    if (existing && existing.contentHash === hash && existing.status === 'indexed' && existing.embedderId === this.embedder.id) {
      return { kind: 'unchanged', hash };
    }
    const inRun = runHashes.get(hash);
    if (inRun && inRun !== docId) return { kind: 'duplicate', hash, duplicateOf: inRun };
    const dup = (await this.store.findDocumentsByHash(hash)).find((d) => d.docId !== docId && d.status === 'indexed');
    if (dup) return { kind: 'duplicate', hash, duplicateOf: dup.docId };
    let doc;
    try {
      doc = await this.parser.parse(file, { maxBytes });
    } catch (error) {
      // The pool restarts a crashed parser thread; one retry tells a transient crash from a file that kills it.
      if (!(error instanceof ParseWorkerCrashedError)) throw error;
      doc = await this.parser.parse(file, { maxBytes });
    }
    runHashes.set(hash, docId);
    return { kind: 'parsed', hash, doc };
  }

  private async indexDocument(
    file: string,
    docId: string,
    prep: Extract<Prepared, { kind: 'parsed' }>,
    options: IngestOptions,
    state: { chunksDone: number; chunksTotal: number },
    emit: (file: string, phase: IngestPhase) => void,
  ): Promise<number> {
    emit(file, 'chunk');
    const chunks: TextChunk[] = chunkDocument(prep.doc, {
      countTokens: (t) => this.embedder.countTokens(t),
      chunkTokens: options.chunkTokens,
      overlapTokens: options.overlapTokens,
      ...(options.parentChunkTokens ? { parent: { chunkTokens: options.parentChunkTokens } } : {}),
    });
    state.chunksTotal += chunks.length;
    const record: DocumentRecord = {
      docId, path: file, contentHash: prep.hash, title: prep.doc.title, format: prep.doc.format, status: 'pending',
      chunkCount: chunks.length, pageCount: prep.doc.pages.length, collection: options.collection ?? 'default',
      tags: options.tags ?? [], embedderId: this.embedder.id, updatedAt: Date.now(),
    };
    await this.store.upsertDocument(record);
    await this.store.deleteChunks(docId); // the old version, or a half-written earlier attempt
    const batch = options.embedBatchSize ?? 32;
    const createdAt = Date.now();
    for (let s = 0; s < chunks.length; s += batch) {
      if (options.signal?.aborted) throw new IngestCancelledError(0);
      emit(file, 'embed');
      const slice = chunks.slice(s, s + batch);
      const vectors = await this.embedder.embed(slice.map((c) => c.text), { signal: options.signal });
      emit(file, 'index');
      await this.store.addChunks(
        slice.map((c, j) => ({
          id: `${docId}:${c.index}`, docId, text: c.text, vector: vectors[j]!, page: c.page, pageEnd: c.pageEnd,
          charStart: c.charStart, charEnd: c.charEnd, chunkIndex: c.index,
          parentId: c.parent ? `${docId}:p${c.parent.index}` : null, parentText: c.parent?.text ?? null,
          parentCharStart: c.parent?.charStart ?? null, parentCharEnd: c.parent?.charEnd ?? null,
          title: prep.doc.title, tags: options.tags ?? [], collection: options.collection ?? 'default', createdAt,
        })),
      );
      state.chunksDone += slice.length;
    }
    await this.store.upsertDocument({ ...record, status: 'indexed', updatedAt: Date.now() });
    return chunks.length;
  }

  /**
   * Starts the parser thread and loads the parsers these sample files need (pdf.js alone is seconds
   * on a cold start), so the user's first real file does not pay for it. The parse results — and any
   * per-file failure, which is expected for a stub sample — are discarded: only the loading matters.
   */
  async warmUp(samplePaths: readonly string[]): Promise<void> {
    if (this.disposed) return;
    await Promise.allSettled(samplePaths.map((p) => this.parser.parse(p, { maxBytes: 1024 * 1024 })));
  }

  /** Idempotent; terminates the parser thread. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.parser.dispose();
  }
}

type Prepared =
  | { kind: 'unchanged'; hash: string; duplicateOf?: undefined }
  | { kind: 'duplicate'; hash: string; duplicateOf: string }
  | { kind: 'parsed'; hash: string; doc: ParsedDocument; duplicateOf?: undefined };

const PER_FILE_CODES = new Set(['DOCUMENT_UNREADABLE', 'DOCUMENT_ENCRYPTED', 'DOCUMENT_EMPTY', 'DOCUMENT_TOO_LARGE', 'UNSUPPORTED_FORMAT']);
function isPerFileError(e: unknown): e is AppError {
  return isAppError(e) && PER_FILE_CODES.has(e.code);
}
