import { createHash } from 'node:crypto';
import type { CacheEmbedder } from '../CacheEmbedder.js';

/**
 * TEST DOUBLE — a deterministic bag-of-words embedder (feature hashing of lower-cased word unigrams into
 * `dimensions` buckets, L2-normalised). Same words in any case or punctuation give cosine 1; sharing most words
 * gives a high score; unrelated texts score near 0. It has no notion of meaning and must not ship as a product
 * embedder; it exists so the semantic cache can be tested without loading a model.
 */
export class HashingEmbedder implements CacheEmbedder {
  readonly id: string;
  embedCalls = 0;
  private disposed = false;

  constructor(readonly dimensions = 256) {
    this.id = `test:hashing-${dimensions}`;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.disposed) throw new Error('HashingEmbedder is disposed');
    this.embedCalls += 1;
    return texts.map((t) => {
      const v = new Float32Array(this.dimensions);
      for (const word of words(t)) {
        const h = createHash('sha1').update(word).digest();
        v[h.readUInt32LE(0) % this.dimensions]! += h[4]! & 1 ? 1 : -1;
      }
      let norm = 0;
      for (const x of v) norm += x * x;
      norm = Math.sqrt(norm);
      if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
      return v;
    });
  }

  countTokens(text: string): number {
    return words(text).length;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}
