import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/errors.js';
import type { ParsedDocument } from './ParsedDocument.js';
import { ParseWorkerCrashedError } from './ParseWorkerCrashedError.js';
import {
  DocumentEmptyError,
  DocumentEncryptedError,
  DocumentTooLargeError,
  DocumentUnreadableError,
  UnsupportedFormatError,
} from './errors.js';

interface WorkerError {
  code: string;
  message: string;
  details: Record<string, unknown>;
}
type WorkerReply = { id: number; ok: true; doc: ParsedDocument } | { id: number; ok: false; error: WorkerError };

/** Rebuilds the typed error class on the main-thread side from its serialised code and details. */
function reviveError(path: string, e: WorkerError): AppError {
  const d = e.details;
  switch (e.code) {
    case 'DOCUMENT_ENCRYPTED':
      return new DocumentEncryptedError(path);
    case 'DOCUMENT_EMPTY':
      return new DocumentEmptyError(path);
    case 'UNSUPPORTED_FORMAT':
      return new UnsupportedFormatError(path, String(d.extension ?? ''));
    case 'DOCUMENT_TOO_LARGE':
      return new DocumentTooLargeError(path, Number(d.sizeBytes), Number(d.maxBytes));
    default:
      return new DocumentUnreadableError(path, String(d.reason ?? e.message));
  }
}

export interface ParseWorkerPoolOptions {
  /** Test hook only: the thread exits (code 70) shortly after it starts parsing a path containing this text. Default off. */
  crashOnPathContaining?: string;
}

type Pending = { path: string; resolve: (d: ParsedDocument) => void; reject: (e: unknown) => void };

/**
 * One long-lived worker thread that runs {@link parseFile}. Files are parsed one at a time (this
 * machine class has 2 cores; embedding already keeps the other busy). Under tsx/vitest the `.ts`
 * worker is started with `--import tsx`; a built app ships `parseWorker.js` beside this file.
 * Call {@link dispose} (idempotent) to terminate the thread.
 *
 * Crash recovery: if the thread dies, the files in flight on it fail with the retryable
 * `ParseWorkerCrashedError`, and the next `parse` starts a fresh thread (lazily: an idle app keeps no thread).
 */
export class ParseWorkerPool {
  private worker: Worker | undefined;
  private nextId = 1;
  private disposed = false;
  private started = 0;
  /** Pending calls per thread, so a dying thread fails only its own calls. */
  private readonly pending = new Map<Worker, Map<number, Pending>>();

  private constructor(private readonly options: ParseWorkerPoolOptions) {}

  static async create(options: ParseWorkerPoolOptions = {}): Promise<ParseWorkerPool> {
    return new ParseWorkerPool(options);
  }

  /** Threads started so far (1 after the first parse; +1 per restart after a crash). */
  get threadsStarted(): number {
    return this.started;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const js = fileURLToPath(new URL('./parseWorker.js', import.meta.url));
    const workerData = { crashOnPathContaining: this.options.crashOnPathContaining };
    const worker = existsSync(js)
      ? new Worker(js, { workerData })
      : new Worker(
          // Dev/test: register tsx's ESM loader inside the worker, then load the .ts entry.
          `import(${JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href)})` +
            `.then((m) => { m.register(); return import(${JSON.stringify(new URL('./parseWorker.ts', import.meta.url).href)}); })`,
          { eval: true, workerData },
        );
    this.started++;
    const mine = new Map<number, Pending>();
    this.pending.set(worker, mine);
    worker.on('message', (reply: WorkerReply) => {
      const p = mine.get(reply.id);
      if (!p) return;
      mine.delete(reply.id);
      if (mine.size === 0) worker.unref(); // idle: don't keep the process alive
      if (reply.ok) p.resolve(reply.doc);
      else p.reject(reviveError(p.path, reply.error));
    });
    let dead = false;
    const onDeath = (reason: string, cause?: unknown): void => {
      if (dead) return;
      dead = true;
      if (this.worker === worker) this.worker = undefined; // the next parse starts a fresh thread
      for (const p of mine.values()) p.reject(new ParseWorkerCrashedError(p.path, reason, { cause }));
      mine.clear();
      this.pending.delete(worker);
    };
    worker.on('error', (err) => onDeath(err instanceof Error ? err.message : String(err), err));
    worker.on('exit', (code) => onDeath(`exited with code ${code}`));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Parses `path` in the worker. Rejects with the same typed errors as parseFile, or ParseWorkerCrashedError. */
  parse(path: string, options: { maxBytes?: number } = {}): Promise<ParsedDocument> {
    if (this.disposed) return Promise.reject(new DocumentUnreadableError(path, 'the parser pool was disposed'));
    const worker = this.ensureWorker();
    const mine = this.pending.get(worker)!;
    const id = this.nextId++;
    return new Promise<ParsedDocument>((resolve, reject) => {
      mine.set(id, { path, resolve, reject });
      worker.ref(); // busy: keep the process alive until the reply arrives
      worker.postMessage({ id, path, maxBytes: options.maxBytes });
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
