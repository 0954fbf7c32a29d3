import { mulberry32 } from '../../../shared/random/mulberry32.js';
/** mulberry32: a tiny seeded PRNG so jittered delays are reproducible in tests. */
export function seededRandom(seed: number): () => number {
  return mulberry32(seed);
}
