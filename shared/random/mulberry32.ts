/**
 * mulberry32: a tiny, fast 32-bit PRNG with a full 2^32 period. Good enough for seeded test data, fixture
 * weights, jitter and benchmarks (not for cryptography, not for statistics that need long periods — the eval
 * bootstrap uses xoshiro128** for that). Same seed, same sequence, on every platform.
 */
export function mulberry32Uint32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniform floats in [0, 1) from mulberry32. */
export function mulberry32(seed: number): () => number {
  const next = mulberry32Uint32(seed);
  return () => next() / 4294967296;
}
