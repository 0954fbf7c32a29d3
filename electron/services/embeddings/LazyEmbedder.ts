import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';
import type { EmbedOptions, Embedder } from './Embedder.js';
import { EmbedderDisposedError } from './EmbedderDisposedError.js';
import { EmbedderMissingError } from './EmbedderMissingError.js';
import type { EmbedderSpec } from './EmbedderSpec.js';

/** `countTokens` was called before the model (or at least its tokenizer) was loaded. */
export class EmbedderNotLoadedError extends AppError {
  constructor(readonly modelId: string) {
    super('INTERNAL', `Embedder ${modelId} is not loaded yet; await load() before counting tokens.`, { details: { modelId } });
  }
}

/**
 * An {@link Embedder} whose model is loaded on first use. `id` and `dimensions` are known up front from
 * the spec (USE-Lite: 512; transformers.js: `hidden_size` of the folder's config.json), so an index can
 * be opened — and the app can start — without paying for the model (USE-Lite in a worker thread is ~1.7 s
 * of CPU here). `embed` loads on demand; `countTokens` is synchronous, so callers that chunk text must
 * `await load()` first (it throws `EmbedderNotLoadedError` otherwise). A failed load is not cached:
 * the next call tries again (e.g. after the user installs the model).
 */
export class LazyEmbedder implements Embedder {
  private inner: Embedder | undefined;
  private loading: Promise<Embedder> | undefined;
  private disposed = false;

  private constructor(
    readonly id: string,
    readonly dimensions: number,
    private readonly factory: () => Promise<Embedder>,
  ) {}

  /**
   * @param factory builds the real embedder (e.g. `() => EmbedderWorker.create(spec)`). Its `id` and
   * `dimensions` must match what the spec promised; a mismatch is reported as a load error.
   */
  static async create(spec: EmbedderSpec, factory: (spec: EmbedderSpec) => Promise<Embedder>): Promise<LazyEmbedder> {
    const { id, dimensions } = await describeSpec(spec);
    return new LazyEmbedder(id, dimensions, () => factory(spec));
  }

  /** Whether the model is loaded (stats/UI). */
  get loaded(): boolean {
    return this.inner !== undefined;
  }

  /** Loads the model once; concurrent callers share the load. */
  async load(): Promise<Embedder> {
    if (this.disposed) throw new EmbedderDisposedError(this.id);
    if (this.inner) return this.inner;
    this.loading ??= this.factory().then(
      async (e) => {
        if (this.disposed) {
          await e.dispose();
          throw new EmbedderDisposedError(this.id);
        }
        if (e.dimensions !== this.dimensions) {
          await e.dispose();
          throw new AppError('MODEL_LOAD_FAILED', `Embedder ${e.id} makes ${e.dimensions}-d vectors; its config promised ${this.dimensions}.`, {
            details: { modelId: e.id, dimensions: e.dimensions, expected: this.dimensions },
          });
        }
        this.inner = e;
        return e;
      },
      (err: unknown) => {
        this.loading = undefined;
        throw err;
      },
    );
    return this.loading;
  }

  async embed(texts: readonly string[], options?: EmbedOptions): Promise<Float32Array[]> {
    return (await this.load()).embed(texts, options);
  }

  countTokens(text: string): number {
    if (!this.inner) throw new EmbedderNotLoadedError(this.id);
    return this.inner.countTokens(text);
  }

  /** Idempotent; waits for an in-flight load and disposes what it produced. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const pending = this.loading;
    if (this.inner) await this.inner.dispose();
    else if (pending) await pending.then((e) => e.dispose(), () => undefined);
  }
}

/** The id and width a spec's embedder will have, without loading it. Mirrors `EmbedderWorker`'s id rule. */
async function describeSpec(spec: EmbedderSpec): Promise<{ id: string; dimensions: number }> {
  if (spec.kind === 'use-lite') return { id: 'use-lite', dimensions: 512 };
  const modelDir = path.resolve(spec.modelDir);
  const id = spec.id ?? `transformers:${path.basename(modelDir)}`;
  const configPath = path.join(modelDir, 'config.json');
  let config: { hidden_size?: unknown };
  try {
    config = JSON.parse(await readFile(configPath, 'utf8')) as { hidden_size?: unknown };
  } catch {
    throw new EmbedderMissingError(id, configPath);
  }
  if (typeof config.hidden_size !== 'number' || !Number.isInteger(config.hidden_size) || config.hidden_size <= 0) {
    throw new AppError('MODEL_LOAD_FAILED', `${configPath} has no usable hidden_size; cannot size the index for ${id}.`, {
      details: { modelId: id, path: configPath },
    });
  }
  return { id, dimensions: config.hidden_size };
}
