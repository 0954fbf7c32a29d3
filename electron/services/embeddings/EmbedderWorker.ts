import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, type SerializedAppError } from '../../../shared/errors.js';
import { createTokenCounter } from './createTokenCounter.js';
import type { EmbedOptions, Embedder } from './Embedder.js';
import { EmbedderDisposedError } from './EmbedderDisposedError.js';
import { EmbedderLoadError } from './EmbedderLoadError.js';
import { EmbedderMissingError } from './EmbedderMissingError.js';
import { DEFAULT_EMBEDDER_SPEC, type EmbedderSpec } from './EmbedderSpec.js';
import type { EmbedderWorkerMessage, EmbedderWorkerRequest } from './EmbedderWorkerMessage.js';
import { EmbedderWorkerCrashedError } from './EmbedderWorkerCrashedError.js';
import { EmbeddingCancelledError } from './EmbeddingCancelledError.js';

export interface EmbedderWorkerOptions {
  /**
   * The worker entry script. Default: `embedderWorkerMain.{ts,js}` beside this module (the `.ts` one is
   * run through the tsx loader, for tests and `tsx` scripts). A bundled build must emit
   * `electron/services/embeddings/embedderWorkerMain.ts` as its own entry next to the bundle that
   * contains this class, or pass its URL here.
   */
  workerUrl?: URL;
  /** How long `dispose()` waits for a clean exit before terminating the thread. Default 5000 ms. */
  disposeTimeoutMs?: number;
}

interface Pending {
  resolve: (v: Float32Array[]) => void;
  reject: (e: unknown) => void;
  total: number;
}

/** Rebuilds the typed error class where we have one, so callers can `instanceof` across the thread boundary. */
function revive(e: SerializedAppError): AppError {
  const d = e.details ?? {};
  switch (e.code) {
    case 'CANCELLED':
      return new EmbeddingCancelledError(Number(d.completed ?? 0), Number(d.total ?? 0));
    case 'EMBEDDER_MISSING':
      return new EmbedderMissingError(String(d.modelId), String(d.path));
    case 'MODEL_LOAD_FAILED':
      return new EmbedderLoadError(String(d.modelId), String(d.path), String(d.reason));
    default:
      return AppError.fromSerialized(e);
  }
}

/** Where the worker code lives: the `.js` sibling in a build, or the `.ts` source bootstrapped through tsx's loader. */
function defaultWorkerTarget(): { script: URL | string; eval: boolean } {
  const isSource = import.meta.url.endsWith('.ts');
  if (!isSource) return { script: new URL('./embedderWorkerMain.js', import.meta.url), eval: false };
  // Node 20 does not run `--import` preloads in worker threads, so register tsx from inside the thread.
  const entry = new URL('./embedderWorkerMain.ts', import.meta.url).href;
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(path.join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const script = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return { script, eval: true };
}

/**
 * Runs an embedder on a `worker_threads` thread behind the same `Embedder` interface, so bulk
 * ingestion never blocks the main (IPC/UI) thread: tfjs-wasm (USE-Lite) is fully synchronous and
 * tokenisation is synchronous for every model. Costs: one extra model load per worker, vectors are
 * transferred (not copied) back. `countTokens` stays synchronous by loading only the tokenizer on
 * the calling thread (`createTokenCounter`). Cancellation is forwarded and takes effect at the
 * worker's next batch boundary.
 */
export class EmbedderWorker implements Embedder {
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  private disposed = false;
  private readonly exited: Promise<void>;
  private crash: AppError | undefined;
  private modelId: string;
  private dims = 0;
  private counter: (text: string) => number = () => {
    throw new Error('EmbedderWorker used before create() finished');
  };
  private readonly ready: Promise<void>;
  private settleReady: { resolve: () => void; reject: (e: unknown) => void } | undefined;

  private constructor(
    private readonly worker: Worker,
    provisionalId: string,
    private readonly disposeTimeoutMs: number,
  ) {
    this.modelId = provisionalId;
    this.ready = new Promise<void>((resolve, reject) => (this.settleReady = { resolve, reject }));
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (m: EmbedderWorkerMessage) => this.onMessage(m));
    worker.on('error', (err) => this.fail(err instanceof Error ? err.message : String(err), err));
    worker.on('exit', (code) => this.fail(`exited with code ${code}`));
  }

  get id(): string {
    return this.modelId;
  }

  get dimensions(): number {
    return this.dims;
  }

  static async create(spec: EmbedderSpec = DEFAULT_EMBEDDER_SPEC, options: EmbedderWorkerOptions = {}): Promise<EmbedderWorker> {
    const target = options.workerUrl === undefined ? defaultWorkerTarget() : { script: options.workerUrl, eval: false };
    const worker = new Worker(target.script, { workerData: spec, eval: target.eval });
    const ew = new EmbedderWorker(worker, specId(spec), options.disposeTimeoutMs ?? 5000);
    try {
      await ew.ready;
      ew.counter = await createTokenCounter(spec);
    } catch (err) {
      ew.disposed = true;
      await worker.terminate();
      throw err;
    }
    return ew;
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    if (this.disposed) throw new EmbedderDisposedError(this.id);
    if (this.crash !== undefined) throw this.crash;
    if (texts.length === 0) return [];
    const { signal } = options;
    if (signal?.aborted) throw new EmbeddingCancelledError(0, texts.length, { cause: signal.reason });
    const requestId = this.nextRequestId++;
    const onAbort = (): void => this.post({ type: 'cancel', requestId });
    try {
      signal?.addEventListener('abort', onAbort, { once: true });
      return await new Promise<Float32Array[]>((resolve, reject) => {
        this.pending.set(requestId, { resolve, reject, total: texts.length });
        this.post({ type: 'embed', requestId, texts: [...texts] });
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  countTokens(text: string): number {
    return this.counter(text);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return this.exited;
    this.disposed = true;
    if (this.crash === undefined) {
      this.post({ type: 'dispose' });
      const timer = setTimeout(() => void this.worker.terminate(), this.disposeTimeoutMs);
      await this.exited;
      clearTimeout(timer);
    }
    for (const p of this.pending.values()) p.reject(new EmbedderDisposedError(this.id));
    this.pending.clear();
  }

  private post(m: EmbedderWorkerRequest): void {
    this.worker.postMessage(m);
  }

  private onMessage(m: EmbedderWorkerMessage): void {
    if (m.type === 'ready') {
      this.modelId = m.id;
      this.dims = m.dimensions;
      this.settleReady?.resolve();
      return;
    }
    if (m.type === 'init-error') {
      this.crash = revive(m.error);
      this.settleReady?.reject(this.crash);
      return;
    }
    const p = this.pending.get(m.requestId);
    if (p === undefined) return;
    this.pending.delete(m.requestId);
    if (m.type === 'result') p.resolve(m.vectors);
    else p.reject(revive(m.error));
  }

  private fail(reason: string, cause?: unknown): void {
    if (this.disposed && this.pending.size === 0) return;
    this.crash ??= new EmbedderWorkerCrashedError(this.id, reason, { cause });
    this.settleReady?.reject(this.crash); // no-op once ready
    for (const p of this.pending.values()) p.reject(this.crash);
    this.pending.clear();
  }
}

function specId(spec: EmbedderSpec): string {
  return spec.kind === 'use-lite' ? 'use-lite' : (spec.id ?? `transformers:${spec.modelDir}`);
}
