/**
 * Returns a unit-length copy of `v` (float64 accumulation). A zero vector stays zero rather than
 * becoming NaN: callers get cosine 0 against everything, which ranks it last instead of poisoning sorts.
 */
export function l2Normalize(v: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const out = new Float32Array(v.length);
  if (sum === 0) return out;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * inv;
  return out;
}
