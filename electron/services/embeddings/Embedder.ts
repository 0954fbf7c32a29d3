/** Options every embedding call accepts. */
export interface EmbedOptions {
  /** Checked between batches; an aborted call rejects with `EmbeddingCancelledError` (code CANCELLED). */
  signal?: AbortSignal;
}

/**
 * A text embedder. This is the contract the retrieval service codes against; keep it exactly stable.
 * Implementations: `UseLiteEmbedder` (default, ships in npm), `TransformersEmbedder` (any local
 * transformers.js feature-extraction folder), `EmbedderWorker` (either of those, off the main thread).
 */
export interface Embedder {
  /** Stable identity of the model, stored beside vectors so an index built with another model is detected (e.g. 'transformers:tiny-embedder', 'use-lite'). */
  readonly id: string;
  readonly dimensions: number;
  /** Batched; returns L2-normalised vectors in input order. */
  embed(texts: readonly string[], options?: EmbedOptions): Promise<Float32Array[]>;
  /** Token count in THIS model's tokenizer (chunk sizes are counted with it). Special tokens ([CLS]/[SEP]) are not counted. */
  countTokens(text: string): number;
  /** Idempotent; later `embed` calls reject with `EmbedderDisposedError`. */
  dispose(): Promise<void>;
}
