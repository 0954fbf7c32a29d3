import { renameSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError, type SerializedAppError } from '../../../shared/errors.js';
import {
  MAX_UPLOAD_BYTES,
  MAX_UPLOAD_TOTAL_BYTES,
  type CollectionSummary,
  type DocumentRow,
  type DocumentsProgress,
  type IndexStats,
  type IngestFileOutcome,
  type IngestResult,
  type Passage,
  type UploadedFile,
} from '../../../shared/schemas/documents.js';
import {
  CrossEncoderReranker,
  DEFAULT_EMBEDDER_SPEC,
  EmbedderWorker,
  LazyEmbedder,
  type EmbedderSpec,
} from '../../services/embeddings/index.js';
import {
  checkSourcePath,
  DocumentTooLargeError,
  Ingestor,
  stageUpload,
  type IngestProgress,
} from '../../services/ingest/index.js';
import { DocumentStore, HybridRetriever, type DocumentRecord, type Reranker } from '../../services/retrieval/index.js';
import type { CoreServices } from './CoreServices.js';

/** No document (or chunk) with this id: deleted, or never indexed. */
export class DocumentNotFoundError extends AppError {
  constructor(readonly kind: 'document' | 'chunk', readonly id: string) {
    super('NOT_FOUND', `No ${kind} "${id.slice(0, 200)}" in the index (deleted or re-indexed?).`, { details: { kind, id: id.slice(0, 200) } });
  }
}

/** HEARTH_EMBEDDER is set but is neither `use-lite` nor `transformers:<model folder>`. */
export class EmbedderSpecInvalidError extends AppError {
  constructor(readonly value: string) {
    super('INVALID_INPUT', `HEARTH_EMBEDDER="${value}" is not "use-lite" or "transformers:<model folder>".`, { details: { value } });
  }
}

export interface DocumentsFeatureOptions {
  /**
   * Which embedder builds the index. Default: `HEARTH_EMBEDDER` (`use-lite` | `transformers:<dir>`),
   * else {@link DEFAULT_EMBEDDER_SPEC} (USE-Lite: zero downloads). It runs in an `EmbedderWorker`
   * thread and is loaded on first use, so opening the app costs no model load.
   */
  embedder?: EmbedderSpec;
  /** Compaction check period. Default 10 min: compacts only when the corpus changed since the last run. */
  compactEveryMs?: number;
  /** Optional cross-encoder folder for 'rerank' retrieval. Default `HEARTH_RERANKER`, else none. */
  rerankerDir?: string;
}

interface IngestCallOptions {
  signal?: AbortSignal;
  onProgress?: (p: Omit<DocumentsProgress, 'requestId'>) => void;
}

/** The last failed ingest of a file, kept until it succeeds or is deleted (the table shows it). */
interface FailureRecord {
  docId: string;
  path: string;
  name: string;
  collection: string;
  tags: string[];
  error: SerializedAppError;
  updatedAt: number;
}

/** Big ingests compact right away instead of waiting for the timer. */
const COMPACT_AFTER_CHUNKS = 2_000;

function parseEmbedderEnv(value: string | undefined): EmbedderSpec | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (value === 'use-lite') return { kind: 'use-lite' };
  if (value.startsWith('transformers:') && value.length > 'transformers:'.length) {
    return { kind: 'transformers', modelDir: path.resolve(value.slice('transformers:'.length)) };
  }
  throw new EmbedderSpecInvalidError(value);
}

/**
 * Owns documents, collections, ingestion and the LanceDB index (with the embedder it was built with).
 * - The index lives in `<dataDir>/index/<embedder id>/`: one folder per embedder, so switching embedders
 *   never fails startup on a width mismatch (the other index stays on disk; re-index to move documents).
 * - Parsing (ParseWorkerPool) and embedding (EmbedderWorker) run off the main thread; ingests run one
 *   at a time (queued), which keeps one parser and one embedder busy instead of fighting over 2 cores.
 * - Uploaded bytes are written under `<dataDir>/uploads/<collection>/` and indexed from there.
 * - Every ingest/delete bumps {@link corpusVersion} and tells {@link onDocumentsChanged} listeners.
 * - Compaction: `store.optimize()` every {@link DocumentsFeatureOptions.compactEveryMs} if anything
 *   changed, and right after an ingest of ≥ 2,000 chunks.
 */
export class DocumentsFeature {
  private disposed = false;
  private version: number;
  private optimizedVersion: number;
  private readonly listeners = new Set<(documentIds: string[]) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly shutdown = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private warming: Promise<void> | undefined;

  private constructor(
    private readonly core: CoreServices,
    readonly store: DocumentStore,
    readonly retriever: HybridRetriever,
    readonly embedder: LazyEmbedder,
    readonly reranker: Reranker | null,
    private readonly ingestor: Ingestor,
    private readonly failures: Map<string, FailureRecord>,
    private readonly failuresFile: string,
    private readonly versionFile: string,
    initialVersion: number,
    compactEveryMs: number,
  ) {
    this.version = initialVersion;
    this.optimizedVersion = initialVersion;
    this.timer = setInterval(() => void this.compactIfChanged(), compactEveryMs);
    this.timer.unref();
  }

  static async create(core: CoreServices, options: DocumentsFeatureOptions = {}): Promise<DocumentsFeature> {
    const spec = options.embedder ?? parseEmbedderEnv(process.env.HEARTH_EMBEDDER) ?? DEFAULT_EMBEDDER_SPEC;
    const embedder = await LazyEmbedder.create(spec, (s) => EmbedderWorker.create(s));
    const indexRoot = path.join(core.dataDir, 'index');
    const slug = embedder.id.replace(/[^A-Za-z0-9._-]+/g, '_');
    let store: DocumentStore | undefined;
    let reranker: Reranker | null = null;
    try {
      store = await DocumentStore.open({ dir: path.join(indexRoot, slug), embedder });
      const rerankerDir = options.rerankerDir ?? process.env.HEARTH_RERANKER;
      if (rerankerDir) reranker = await CrossEncoderReranker.create({ modelDir: rerankerDir });
      const retriever = new HybridRetriever({ store, ...(reranker ? { reranker } : {}) });
      const ingestor = await Ingestor.create({ store });
      const failuresFile = path.join(indexRoot, `${slug}.failures.json`);
      const failures = await readFailures(failuresFile);
      const versionFile = path.join(indexRoot, `${slug}.corpus-version.json`);
      const version = await readCorpusVersion(versionFile);
      return new DocumentsFeature(core, store, retriever, embedder, reranker, ingestor, failures, failuresFile, versionFile, version, options.compactEveryMs ?? 10 * 60_000);
    } catch (e) {
      await reranker?.dispose();
      await store?.dispose();
      await embedder.dispose();
      throw e;
    }
  }

  /**
   * Bumps on every ingest, re-index and delete that changed something; caches key on it. Persisted beside the index
   * (`<dataDir>/index/<embedder>.corpus-version.json`, written atomically before listeners hear of the change), so a
   * restart keeps the version and the cached answers built on it stay valid; a lost or unreadable file restarts at
   * 0, which only costs cache hits (the cache drops entries of any other version).
   */
  corpusVersion(): number {
    return this.version;
  }

  /** Called with the ids of documents that were added, replaced or removed. Returns an unsubscribe function. */
  onDocumentsChanged(listener: (documentIds: string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Indexes files into a collection. `paths` must be absolute regular files; `files` are uploaded bytes
   * (≤ {@link MAX_UPLOAD_BYTES} each). Each file succeeds or fails on its own: rejected names, missing
   * files, corrupt/encrypted/empty documents come back as per-file `error`s and never stop the others.
   */
  async ingest(
    request: { paths?: readonly string[]; files?: readonly UploadedFile[]; collection?: string; tags?: readonly string[] },
    options: IngestCallOptions = {},
  ): Promise<IngestResult> {
    this.check();
    const collection = request.collection ?? 'default';
    const tags = [...(request.tags ?? [])];
    const outcomes: IngestFileOutcome[] = [];
    const accepted: { name: string; path: string; slot: number }[] = [];
    const reject = (name: string, filePath: string | null, error: AppError): void => {
      outcomes.push({ name, path: filePath, docId: null, status: 'error', chunks: 0, pages: 0, duplicateOf: null, error: error.toSerialized() });
    };
    for (const p of request.paths ?? []) {
      try {
        const real = await checkSourcePath(p);
        accepted.push({ name: path.basename(real), path: real, slot: outcomes.length });
        outcomes.push(placeholder(path.basename(real), real));
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        reject(path.basename(p) || p, null, e);
      }
    }
    const uploads = request.files ?? [];
    const uploadTotal = uploads.reduce((n, f) => n + Math.floor((f.bytesBase64.length * 3) / 4), 0);
    if (uploadTotal > MAX_UPLOAD_TOTAL_BYTES) {
      throw new DocumentTooLargeError(`${uploads.length} uploaded files`, uploadTotal, MAX_UPLOAD_TOTAL_BYTES);
    }
    const uploadDir = path.join(this.core.dataDir, 'uploads', collection.replace(/[^\p{L}\p{N}._-]+/gu, '_'));
    for (const f of uploads) {
      try {
        const staged = await stageUpload(uploadDir, f, MAX_UPLOAD_BYTES);
        accepted.push({ name: f.name, path: staged, slot: outcomes.length });
        outcomes.push(placeholder(f.name, staged));
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        reject(f.name, null, e);
      }
    }
    const filesTotal = outcomes.length;
    for (const o of outcomes) {
      if (o.status === 'error' && !accepted.some((a) => outcomes[a.slot] === o)) {
        options.onProgress?.({ file: o.name, phase: 'error', filesDone: 0, filesTotal, chunksDone: 0, chunksTotal: 0, embedded: 0, etaMs: null, ...(o.error ? { error: o.error } : {}) });
      }
    }
    if (accepted.length === 0) return { files: outcomes, chunksIndexed: 0, elapsedMs: 0 };
    return this.enqueue(async () => {
      const t0 = performance.now();
      const report = await this.runIngestor(accepted, { collection, tags }, filesTotal, filesTotal - accepted.length, options);
      return { files: outcomes.map((o, i) => report.get(i) ?? o), chunksIndexed: report.chunksIndexed, elapsedMs: performance.now() - t0 };
    });
  }

  /** Parses, chunks and embeds documents again from their files (e.g. after a parser fix or embedder change). */
  async reindex(docIds: readonly string[], options: IngestCallOptions = {}): Promise<IngestResult> {
    this.check();
    return this.enqueue(async () => {
      const t0 = performance.now();
      const outcomes: IngestFileOutcome[] = [];
      // group by (collection, tags): the ingestor applies one of each per call
      const groups = new Map<string, { collection: string; tags: string[]; files: { name: string; path: string; slot: number; record?: DocumentRecord }[] }>();
      for (const id of docIds) {
        const record = await this.store.getDocument(id);
        const failure = this.failures.get(id);
        const source = record ?? failure;
        if (!source) {
          outcomes.push({ name: id, path: null, docId: id, status: 'error', chunks: 0, pages: 0, duplicateOf: null, error: new DocumentNotFoundError('document', id).toSerialized() });
          continue;
        }
        const name = failure?.name ?? path.basename(source.path);
        const key = JSON.stringify([source.collection, source.tags]);
        const group = groups.get(key) ?? { collection: source.collection, tags: source.tags, files: [] };
        group.files.push({ name, path: source.path, slot: outcomes.length, ...(record ? { record } : {}) });
        groups.set(key, group);
        outcomes.push(placeholder(name, source.path));
      }
      let chunksIndexed = 0;
      let done = outcomes.filter((o) => o.status === 'error').length;
      for (const group of groups.values()) {
        // 'pending' makes the ingestor redo the file even if its content is unchanged
        for (const f of group.files) if (f.record) await this.store.upsertDocument({ ...f.record, status: 'pending' });
        const report = await this.runIngestor(group.files, group, outcomes.length, done, options);
        for (const f of group.files) {
          const out = report.get(f.slot);
          if (out) outcomes[f.slot] = out;
          // a failed re-index keeps the old chunks: put the manifest row back as it was
          if (f.record && out?.status === 'error') await this.store.upsertDocument(f.record);
        }
        chunksIndexed += report.chunksIndexed;
        done += group.files.length;
      }
      return { files: outcomes, chunksIndexed, elapsedMs: performance.now() - t0 };
    });
  }

  /** Removes documents (their chunks, manifest rows, failure records and, for uploads, the stored copy). */
  async remove(docIds: readonly string[]): Promise<{ deleted: string[]; missing: string[]; chunksRemoved: number }> {
    this.check();
    return this.enqueue(async () => {
      const deleted: string[] = [];
      const missing: string[] = [];
      let chunksRemoved = 0;
      for (const id of docIds) {
        const record = await this.store.getDocument(id);
        const failure = this.failures.get(id);
        if (!record && !failure) {
          missing.push(id);
          continue;
        }
        chunksRemoved += await this.store.countChunks(id);
        await this.store.deleteDocument(id);
        this.failures.delete(id);
        const source = record?.path ?? failure!.path;
        if (this.isUpload(source)) await rm(source, { force: true });
        deleted.push(id);
      }
      if (deleted.length > 0) {
        await this.saveFailures();
        this.changed(deleted);
      }
      return { deleted, missing, chunksRemoved };
    });
  }

  /** Documents (indexed, pending and failed), newest first. */
  async list(filter: { collection?: string } = {}): Promise<DocumentRow[]> {
    this.check();
    const records = await this.store.listDocuments();
    const rows: DocumentRow[] = [];
    const seen = new Set<string>();
    for (const r of records) {
      seen.add(r.docId);
      const failure = this.failures.get(r.docId);
      rows.push({
        docId: r.docId, name: failure?.name ?? this.displayName(r.path), path: r.path, title: r.title, format: r.format,
        collection: r.collection, tags: r.tags, status: failure ? 'error' : r.status, chunks: r.chunkCount, pages: r.pageCount,
        bytes: await fileSize(r.path), error: failure?.error ?? null, updatedAt: failure ? Math.max(failure.updatedAt, r.updatedAt) : r.updatedAt,
      });
    }
    for (const f of this.failures.values()) {
      if (seen.has(f.docId)) continue;
      rows.push({
        docId: f.docId, name: f.name, path: f.path, title: f.name, format: path.extname(f.path).slice(1).toLowerCase() || 'unknown',
        collection: f.collection, tags: f.tags, status: 'error', chunks: 0, pages: 0, bytes: await fileSize(f.path), error: f.error, updatedAt: f.updatedAt,
      });
    }
    return rows.filter((r) => filter.collection === undefined || r.collection === filter.collection).sort((a, b) => b.updatedAt - a.updatedAt || a.name.localeCompare(b.name));
  }

  /** Collections with document and chunk counts (failed-only documents count as documents with 0 chunks). */
  async collections(): Promise<CollectionSummary[]> {
    const byName = new Map<string, CollectionSummary>();
    for (const row of await this.list()) {
      const c = byName.get(row.collection) ?? { name: row.collection, documents: 0, chunks: 0 };
      c.documents++;
      c.chunks += row.chunks;
      byName.set(row.collection, c);
    }
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async stats(): Promise<IndexStats> {
    this.check();
    const docs = await this.store.listDocuments();
    return {
      documents: docs.length,
      chunks: await this.store.countChunks(),
      collections: new Set(docs.map((d) => d.collection)).size,
      indexBytes: await folderSize(this.store.dir),
      embedder: { id: this.embedder.id, dimensions: this.embedder.dimensions, loaded: this.embedder.loaded },
      corpusVersion: this.version,
    };
  }

  /**
   * One chunk for the citation panel, with surrounding text: the parent section in parent-document
   * mode, else the previous and next chunks merged by their offsets (overlap removed; the whitespace
   * trimmed between chunks is restored as spaces/newlines of the same length, so offsets stay exact).
   */
  async passage(chunkId: string): Promise<Passage> {
    this.check();
    const chunk = await this.store.getChunk(chunkId);
    if (!chunk) throw new DocumentNotFoundError('chunk', chunkId);
    const record = await this.store.getDocument(chunk.docId);
    let context: Passage['context'];
    if (chunk.parentText != null && chunk.parentCharStart != null && chunk.parentCharEnd != null) {
      context = {
        text: chunk.parentText, charStart: chunk.parentCharStart, charEnd: chunk.parentCharEnd,
        matchStart: chunk.charStart - chunk.parentCharStart, matchEnd: chunk.charEnd - chunk.parentCharStart,
      };
    } else {
      const around = await this.store.listChunks(chunk.docId, { from: chunk.chunkIndex - 1, to: chunk.chunkIndex + 1 });
      const first = around[0] ?? chunk;
      let text = first.text;
      let end = first.charEnd;
      for (const next of around.slice(1)) {
        if (next.charEnd <= end) continue;
        if (next.charStart > end) {
          const gap = next.charStart - end;
          text += gap >= 2 ? '\n\n' + ' '.repeat(gap - 2) : ' ';
          text += next.text;
        } else text += next.text.slice(end - next.charStart);
        end = next.charEnd;
      }
      context = { text, charStart: first.charStart, charEnd: end, matchStart: chunk.charStart - first.charStart, matchEnd: chunk.charEnd - first.charStart };
    }
    const docPath = record?.path ?? '';
    return {
      chunkId: chunk.id, docId: chunk.docId, name: this.failures.get(chunk.docId)?.name ?? this.displayName(docPath), title: chunk.title,
      path: docPath, collection: chunk.collection, page: chunk.page, pageEnd: chunk.pageEnd, text: chunk.text,
      charStart: chunk.charStart, charEnd: chunk.charEnd, context,
    };
  }

  /**
   * Loads the embedder (and runs one embedding) and starts the parser thread with pdf.js, in the
   * background, so the first real ingest takes seconds less (measured: 2 small files 16.6 s cold vs
   * about 1 s warm with USE-Lite under tsx). Called when a UI opens the Documents screen, not by the
   * CLI or at startup (it costs a few seconds of CPU). Idempotent; a failure is only logged, because the
   * first ingest then loads the same things again and reports the error to the user properly.
   */
  warmUp(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.warming ??= (async () => {
      const dir = path.join(this.core.dataDir, 'index', '.warmup');
      await mkdir(dir, { recursive: true });
      const md = path.join(dir, 'warmup.md');
      const pdf = path.join(dir, 'warmup.pdf');
      await writeFile(md, '# Warm-up\n\nLoads the parser thread.\n');
      await writeFile(pdf, '%PDF-1.4\n%%EOF\n'); // not a real PDF: loading pdf.js is what counts
      await Promise.all([this.embedder.load().then((e) => e.embed(['warm up'])), this.ingestor.warmUp([md, pdf])]);
    })().catch((e: unknown) => {
      if (!this.disposed) console.warn('[documents] warm-up failed; the first ingest will load the models instead:', e);
    });
    return this.warming;
  }

  /** Compacts the index now (fragments, old versions, index refresh). */
  async compact(): Promise<void> {
    this.check();
    await this.enqueue(async () => {
      const v = this.version;
      await this.store.optimize();
      this.optimizedVersion = v;
    });
  }

  /** Idempotent: aborts a running ingest, waits for it, then closes the index and the embedder/parser threads. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.timer);
    this.shutdown.abort();
    await this.queue.catch(() => undefined);
    await this.warming;
    this.listeners.clear();
    await this.ingestor.dispose();
    await this.store.dispose();
    await this.embedder.dispose();
    await this.reranker?.dispose();
  }

  private check(): void {
    if (this.disposed) throw new AppError('INTERNAL', 'DocumentsFeature used after dispose()');
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async compactIfChanged(): Promise<void> {
    if (this.disposed || this.version === this.optimizedVersion) return;
    // a failed background compaction is retried next period; the index stays correct without it
    await this.compact().catch((e: unknown) => console.warn('[documents] scheduled compaction failed:', e));
  }

  private isUpload(p: string): boolean {
    const root = path.join(this.core.dataDir, 'uploads') + path.sep;
    return path.resolve(p).startsWith(root);
  }

  private displayName(p: string): string {
    return path.basename(p);
  }

  private changed(docIds: string[]): void {
    this.version++;
    writeCorpusVersion(this.versionFile, this.version);
    for (const l of [...this.listeners]) l(docIds);
  }

  /** Runs the ingestor over accepted files; maps its results back to outcome slots, records failures, notifies. */
  private async runIngestor(
    files: readonly { name: string; path: string; slot: number }[],
    target: { collection: string; tags: string[] },
    filesTotal: number,
    filesDoneBefore: number,
    options: IngestCallOptions,
  ): Promise<{ get(slot: number): IngestFileOutcome | undefined; chunksIndexed: number }> {
    // start the parser thread (and pdf.js) while the embedder loads, instead of one after the other
    await this.warmUp();
    await this.embedder.load(); // chunking counts tokens synchronously; rethrows a failed load properly
    const signal = options.signal ? AbortSignal.any([options.signal, this.shutdown.signal]) : this.shutdown.signal;
    const byPath = new Map(files.map((f) => [path.resolve(f.path), f]));
    const t0 = performance.now();
    let fileBase = { chunksTotal: 0, chunksDone: 0 };
    const onProgress = options.onProgress
      ? (p: IngestProgress) => {
          if (p.phase === 'parse') fileBase = { chunksTotal: p.chunksTotal, chunksDone: p.chunksDone };
          const inFile = p.chunksTotal - fileBase.chunksTotal;
          const fileFraction = inFile > 0 && p.phase !== 'done' && p.phase !== 'error' ? (p.chunksDone - fileBase.chunksDone) / inFile : 0;
          const fraction = (p.filesDone + fileFraction) / Math.max(1, files.length);
          const elapsed = performance.now() - t0;
          options.onProgress!({
            file: byPath.get(p.file)?.name ?? path.basename(p.file), phase: p.phase, filesDone: filesDoneBefore + p.filesDone, filesTotal,
            chunksDone: p.chunksDone, chunksTotal: p.chunksTotal, embedded: p.chunksDone,
            etaMs: fraction > 0 ? Math.round((elapsed * (1 - fraction)) / fraction) : null, ...(p.error ? { error: p.error.toSerialized() } : {}),
          });
        }
      : undefined;
    const report = await this.ingestor.ingest(files.map((f) => f.path), { collection: target.collection, tags: target.tags, signal, ...(onProgress ? { onProgress } : {}) });
    const bySlot = new Map<number, IngestFileOutcome>();
    const changedIds: string[] = [];
    const now = Date.now();
    for (const r of report.files) {
      const f = byPath.get(path.resolve(r.path));
      if (!f) continue;
      bySlot.set(f.slot, {
        name: f.name, path: r.path, docId: r.docId, status: r.status, chunks: r.chunks, pages: r.pages,
        duplicateOf: r.duplicateOf ?? null, error: r.error ? r.error.toSerialized() : null,
      });
      if (r.status === 'error' && r.error) {
        this.failures.set(r.docId, { docId: r.docId, path: r.path, name: f.name, collection: target.collection, tags: target.tags, error: r.error.toSerialized(), updatedAt: now });
        changedIds.push(r.docId);
      } else {
        if (this.failures.delete(r.docId) || r.status === 'indexed') changedIds.push(r.docId);
      }
    }
    await this.saveFailures();
    if (changedIds.length > 0) this.changed(changedIds);
    if (report.chunksIndexed >= COMPACT_AFTER_CHUNKS) {
      await this.store.optimize();
      this.optimizedVersion = this.version;
    }
    return { get: (slot) => bySlot.get(slot), chunksIndexed: report.chunksIndexed };
  }

  private async saveFailures(): Promise<void> {
    const tmp = `${this.failuresFile}.tmp`;
    await writeFile(tmp, JSON.stringify([...this.failures.values()], null, 1));
    await rename(tmp, this.failuresFile);
  }
}

function placeholder(name: string, filePath: string): IngestFileOutcome {
  // replaced by the ingestor's result; only seen if the ingest was aborted before reaching this file
  return { name, path: filePath, docId: null, status: 'error', chunks: 0, pages: 0, duplicateOf: null, error: new AppError('CANCELLED', `${name} was not processed.`).toSerialized() };
}

/** The persisted corpus version; 0 when the file is missing or not a version (see `corpusVersion`). */
async function readCorpusVersion(file: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    const v = typeof parsed === 'object' && parsed !== null ? (parsed as { version?: unknown }).version : undefined;
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  } catch {
    // a torn or hand-edited file: fall through
  }
  console.warn(`[documents] ignoring an unreadable corpus version file ${file}; starting at 0`);
  return 0;
}

/**
 * Writes the version atomically (temp file + rename) and synchronously: `changed` notifies cache listeners right
 * after, and they must never see a version that a crash could roll back.
 */
function writeCorpusVersion(file: string, version: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ version }));
  renameSync(tmp, file);
}

async function readFailures(file: string): Promise<Map<string, FailureRecord>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new AppError('STORAGE_IO', `Could not read ${file}: ${(e as Error).message}`, { cause: e, details: { path: file } });
  }
  let list: FailureRecord[];
  try {
    list = JSON.parse(text) as FailureRecord[];
  } catch (e) {
    // only the "last error" notes are lost; the index itself is untouched, so start clean rather than refuse to open
    console.warn(`[documents] ignoring unreadable ${file}:`, e);
    return new Map();
  }
  return new Map(list.map((f) => [f.docId, f]));
}

async function fileSize(p: string): Promise<number | null> {
  try {
    return (await stat(p)).size;
  } catch {
    return null; // the source moved or was deleted: the table shows "—"
  }
}

/** Total bytes of the files under a folder (bounded walk: LanceDB folders are a few levels deep). */
async function folderSize(dir: string, depth = 0): Promise<number> {
  if (depth > 8) return 0;
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += await folderSize(p, depth + 1);
    else if (e.isFile()) total += (await stat(p).catch(() => ({ size: 0 }))).size;
  }
  return total;
}
