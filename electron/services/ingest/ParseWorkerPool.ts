import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/errors.js';
import type { ParsedDocument } from './ParsedDocument.js';
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

/**
 * One long-lived worker thread that runs {@link parseFile}. Files are parsed one at a time (this
 * machine class has 2 cores; embedding already keeps the other busy). Under tsx/vitest the `.ts`
 * worker is started with `--import tsx`; a built app ships `parseWorker.js` beside this file.
 * Call {@link dispose} (idempotent) to terminate the thread.
 */
export class ParseWorkerPool {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { path: string; resolve: (d: ParsedDocument) => void; reject: (e: unknown) => void }>();

  private constructor() {}

  static async create(): Promise<ParseWorkerPool> {
    return new ParseWorkerPool();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const js = fileURLToPath(new URL('./parseWorker.js', import.meta.url));
    const worker = existsSync(js)
      ? new Worker(js)
      : new Worker(
          // Dev/test: register tsx's ESM loader inside the worker, then load the .ts entry.
          `import(${JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href)})` +
            `.then((m) => { m.register(); return import(${JSON.stringify(new URL('./parseWorker.ts', import.meta.url).href)}); })`,
          { eval: true },
        );
    worker.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.worker?.unref(); // idle: don't keep the process alive
      if (reply.ok) p.resolve(reply.doc);
      else p.reject(reviveError(p.path, reply.error));
    });
    const failAll = (err: unknown): void => {
      for (const [, p] of this.pending) p.reject(new DocumentUnreadableError(p.path, 'parser worker crashed', err));
      this.pending.clear();
      this.worker = undefined;
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => {
      if (this.pending.size > 0) failAll(new Error(`parser worker exited with code ${code}`));
      this.worker = undefined;
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Parses `path` in the worker. Rejects with the same typed errors as parseFile. */
  parse(path: string, options: { maxBytes?: number } = {}): Promise<ParsedDocument> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<ParsedDocument>((resolve, reject) => {
      this.pending.set(id, { path, resolve, reject });
      worker.ref(); // busy: keep the process alive until the reply arrives
      worker.postMessage({ id, path, maxBytes: options.maxBytes });
    });
  }

  async dispose(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
