/**
 * Structural copy of the embeddings service's `Embedder` (electron/services/embeddings/Embedder.ts) — only what
 * the semantic cache uses, so any Embedder from that service satisfies it without this folder importing it.
 */
export interface CacheEmbedder {
  /** Stable model identity; vectors from another embedder are never compared. */
  readonly id: string;
  readonly dimensions: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  countTokens(text: string): number;
  dispose(): Promise<void>;
}
