import { createHash } from 'node:crypto';
import type { Embedder } from '../EmbedderContract.js';

/**
 * TEST DOUBLE — not a real model. Deterministic hashed bag-of-words embedder: each lower-cased
 * word (and crude suffix-stripped stem) adds ±1 to one of `dimensions` buckets chosen by sha1; the
 * vector is L2-normalised. Texts sharing words get high cosine similarity, so retrieval code can be
 * tested for real behaviour without loading a model. `countTokens` counts words and punctuation
 * marks (roughly what a WordPiece tokenizer does on English prose).
 */
export class HashingEmbedder implements Embedder {
  readonly id: string;
  /** Number of embed() calls and texts seen, for tests that check batching/caching. */
  calls = 0;
  textsEmbedded = 0;
  private disposed = false;

  constructor(readonly dimensions = 256) {
    this.id = `test-hashing-${dimensions}`;
  }

  static async create(dimensions = 256): Promise<HashingEmbedder> {
    return new HashingEmbedder(dimensions);
  }

  async embed(texts: readonly string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    if (this.disposed) throw new Error('HashingEmbedder disposed');
    options.signal?.throwIfAborted();
    this.calls++;
    this.textsEmbedded += texts.length;
    return texts.map((t) => this.vector(t));
  }

  countTokens(text: string): number {
    return text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)?.length ?? 0;
  }

  private vector(text: string): Float32Array {
    const v = new Float32Array(this.dimensions);
    const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    for (const w of words) {
      const stem = w.length > 4 ? w.replace(/(ing|ed|es|s)$/, '') : w;
      const h = createHash('sha1').update(stem).digest();
      const bucket = h.readUInt32LE(0) % this.dimensions;
      v[bucket]! += (h[4]! & 1) === 0 ? 1 : -1;
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm);
    if (norm === 0) v[0] = 1;
    else for (let i = 0; i < v.length; i++) v[i]! /= norm;
    return v;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}
