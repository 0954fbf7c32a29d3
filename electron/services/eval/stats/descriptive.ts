/** Small descriptive helpers shared by the tests in this folder (mean, sample variance with ddof=1). */
export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample variance (ddof = 1, like `numpy.var(x, ddof=1)`), two-pass for accuracy. */
export function sampleVariance(xs: readonly number[]): number {
  const m = mean(xs);
  let ss = 0;
  let comp = 0;
  for (const x of xs) {
    ss += (x - m) * (x - m);
    comp += x - m;
  }
  return (ss - (comp * comp) / xs.length) / (xs.length - 1);
}

/** Throws a RangeError naming the offending index if any value is not a finite number. */
export function assertFinite(xs: readonly number[], name: string): void {
  xs.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`${name}[${i}] is not a finite number: ${String(x)}`);
  });
}
