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
  /**
   * Crashes in a row (no successful call in between) after which the worker is not restarted again and
   * every call fails with the last `EmbedderWorkerCrashedError`. Default 3: a model that kills its thread on
   * every input must not become a restart loop.
   */
  maxConsecutiveRestarts?: number;
  /** Test hook only: the thread throws an uncaught error when asked to embed exactly this text. Default off. */
  crashOnText?: string;
}

/** What the thread receives as `workerData`. */
export interface EmbedderWorkerData {
  spec: EmbedderSpec;
  crashOnText?: string;
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

/** One thread and the calls in flight on it; a crash fails exactly these calls. */
interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  ready: Promise<void>;
  exited: Promise<void>;
  dead: boolean;
}

/**
 * Runs an embedder on a `worker_threads` thread behind the same `Embedder` interface, so bulk
 * ingestion never blocks the main (IPC/UI) thread: tfjs-wasm (USE-Lite) is fully synchronous and
 * tokenisation is synchronous for every model. Costs: one extra model load per worker, vectors are
 * transferred (not copied) back. `countTokens` stays synchronous by loading only the tokenizer on
 * the calling thread (`createTokenCounter`). Cancellation is forwarded and takes effect at the
 * worker's next batch boundary.
 *
 * Crash recovery: if the thread dies (native crash, out of memory, uncaught error), the calls in flight on
 * it fail with the retryable `EmbedderWorkerCrashedError` and a fresh thread is started at once (the model
 * is loaded again: ~1 s for the fixtures, longer for real models); calls made meanwhile wait for it. After
 * `maxConsecutiveRestarts` crashes without a success in between, the worker stays failed.
 */
export class EmbedderWorker implements Embedder {
  private nextRequestId = 1;
  private disposed = false;
  private crash: AppError | undefined;
  private modelId: string;
  private dims = 0;
  private thread: Thread;
  private consecutiveCrashes = 0;
  private restartCount = 0;
  private counter: (text: string) => number = () => {
    throw new Error('EmbedderWorker used before create() finished');
  };

  private constructor(
    private readonly spec: EmbedderSpec,
    private readonly options: EmbedderWorkerOptions,
  ) {
    this.modelId = specId(spec);
    this.thread = this.spawn();
  }

  get id(): string {
    return this.modelId;
  }

  get dimensions(): number {
    return this.dims;
  }

  /** How many times the thread was replaced after a crash (for diagnostics and tests). */
  get restarts(): number {
    return this.restartCount;
  }

  /** The current thread's id (changes on restart). */
  get threadId(): number {
    return this.thread.worker.threadId;
  }

  static async create(spec: EmbedderSpec = DEFAULT_EMBEDDER_SPEC, options: EmbedderWorkerOptions = {}): Promise<EmbedderWorker> {
    const ew = new EmbedderWorker(spec, options);
    try {
      await ew.thread.ready;
      ew.counter = await createTokenCounter(spec);
    } catch (err) {
      ew.disposed = true;
      await ew.thread.worker.terminate();
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
    const thread = this.thread;
    await thread.ready; // a restarted thread may still be loading its model
    if (this.disposed) throw new EmbedderDisposedError(this.id);
    if (signal?.aborted) throw new EmbeddingCancelledError(0, texts.length, { cause: signal.reason });
    if (thread.dead) return this.embed(texts, options); // it died while loading: go to its replacement
    const requestId = this.nextRequestId++;
    const onAbort = (): void => thread.worker.postMessage({ type: 'cancel', requestId } satisfies EmbedderWorkerRequest);
    try {
      signal?.addEventListener('abort', onAbort, { once: true });
      const vectors = await new Promise<Float32Array[]>((resolve, reject) => {
        thread.pending.set(requestId, { resolve, reject, total: texts.length });
        thread.worker.postMessage({ type: 'embed', requestId, texts: [...texts] } satisfies EmbedderWorkerRequest);
      });
      this.consecutiveCrashes = 0;
      return vectors;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  countTokens(text: string): number {
    return this.counter(text);
  }

  async dispose(): Promise<void> {
    const thread = this.thread;
    if (this.disposed) return thread.exited;
    this.disposed = true;
    if (!thread.dead) {
      thread.worker.postMessage({ type: 'dispose' } satisfies EmbedderWorkerRequest);
      const timer = setTimeout(() => void thread.worker.terminate(), this.options.disposeTimeoutMs ?? 5000);
      await thread.exited;
      clearTimeout(timer);
    }
    for (const p of thread.pending.values()) p.reject(new EmbedderDisposedError(this.id));
    thread.pending.clear();
  }

  private spawn(): Thread {
    const target = this.options.workerUrl === undefined ? defaultWorkerTarget() : { script: this.options.workerUrl, eval: false };
    const workerData: EmbedderWorkerData = {
      spec: this.spec,
      ...(this.options.crashOnText === undefined ? {} : { crashOnText: this.options.crashOnText }),
    };
    const worker = new Worker(target.script, { workerData, eval: target.eval });
    let settleReady: { resolve: () => void; reject: (e: unknown) => void } | undefined;
    const ready = new Promise<void>((resolve, reject) => (settleReady = { resolve, reject }));
    ready.catch(() => undefined); // observed by create()/embed(); never an unhandled rejection
    const thread: Thread = { worker, pending: new Map(), ready, exited: new Promise((resolve) => worker.once('exit', () => resolve())), dead: false };
    worker.on('message', (m: EmbedderWorkerMessage) => {
      if (m.type === 'ready') {
        this.modelId = m.id;
        this.dims = m.dimensions;
        settleReady?.resolve();
        return;
      }
      if (m.type === 'init-error') {
        thread.dead = true;
        this.crash = revive(m.error);
        settleReady?.reject(this.crash);
        void worker.terminate();
        return;
      }
      const p = thread.pending.get(m.requestId);
      if (p === undefined) return;
      thread.pending.delete(m.requestId);
      if (m.type === 'result') p.resolve(m.vectors);
      else p.reject(revive(m.error));
    });
    const onDeath = (reason: string, cause?: unknown): void => {
      if (thread.dead) return;
      thread.dead = true;
      const error = new EmbedderWorkerCrashedError(this.id, reason, { cause });
      settleReady?.reject(error); // no-op once ready
      for (const p of thread.pending.values()) p.reject(error);
      thread.pending.clear();
      if (this.disposed || this.thread !== thread) return;
      this.consecutiveCrashes++;
      if (this.consecutiveCrashes > (this.options.maxConsecutiveRestarts ?? 3)) {
        this.crash = error;
        return;
      }
      this.restartCount++;
      this.thread = this.spawn();
    };
    worker.on('error', (err) => onDeath(err instanceof Error ? err.message : String(err), err));
    worker.on('exit', (code) => onDeath(`exited with code ${code}`));
    return thread;
  }
}

function specId(spec: EmbedderSpec): string {
  return spec.kind === 'use-lite' ? 'use-lite' : (spec.id ?? `transformers:${spec.modelDir}`);
}
