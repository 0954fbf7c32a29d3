import { describe, expect, it } from 'vitest';
import { StatisticsUndefinedError } from './StatisticsUndefinedError.js';
import { bootstrapCi } from './bootstrapCi.js';
import { BOOT } from './scipyReference.testdata.js';

// Reference values: SciPy 1.17.1 literals in scipyReference.testdata.ts (each table names the exact call).

describe('bootstrapCi', () => {
  it('is reproducible with a seed and changes with another seed', () => {
    const x = bootstrapCi({ a: BOOT.a, b: BOOT.b, paired: true, seed: 7, resamples: 2000 });
    const y = bootstrapCi({ a: BOOT.a, b: BOOT.b, paired: true, seed: 7, resamples: 2000 });
    const z = bootstrapCi({ a: BOOT.a, b: BOOT.b, paired: true, seed: 8, resamples: 2000 });
    expect(y).toEqual(x);
    expect(z.low).not.toBe(x.low);
  });
  it('agrees with scipy.stats.bootstrap to Monte-Carlo error (BCa and percentile, paired and independent)', () => {
    const pb = bootstrapCi({ a: BOOT.a, b: BOOT.b, paired: true, seed: 1, resamples: 40000 });
    const pp = bootstrapCi({ a: BOOT.a, b: BOOT.b, paired: true, seed: 1, resamples: 40000, method: 'percentile' });
    const ib = bootstrapCi({ a: BOOT.a, b: BOOT.b, paired: false, seed: 1, resamples: 40000 });
    // SD of the differences is ~1.9, so SE of the mean ~0.3; endpoints wobble by ~0.01 at 4e4 resamples.
    for (const [r, ref] of [[pb, BOOT.pairedBca], [pp, BOOT.pairedPct], [ib, BOOT.indBca]] as const) {
      expect(Math.abs(r.low - ref[0]!)).toBeLessThan(0.03);
      expect(Math.abs(r.high - ref[1]!)).toBeLessThan(0.03);
      expect(r.low).toBeLessThan(r.estimate);
      expect(r.high).toBeGreaterThan(r.estimate);
    }
  });
  it('BCa shifts the interval for skewed data relative to the percentile method', () => {
    const skewed = [0.1, 0.2, 0.1, 0.3, 0.2, 0.1, 5, 0.2, 0.1, 8, 0.3, 0.2, 0.1, 0.2, 12];
    const zeros = skewed.map(() => 0);
    const bca = bootstrapCi({ a: skewed, b: zeros, paired: true, seed: 3, resamples: 5000 });
    const pct = bootstrapCi({ a: skewed, b: zeros, paired: true, seed: 3, resamples: 5000, method: 'percentile' });
    expect(bca.high).toBeGreaterThan(pct.high);
    expect(bca.low).toBeGreaterThan(pct.low);
  });
  it('zero variance → StatisticsUndefinedError', () => {
    expect(() => bootstrapCi({ a: [1, 2, 3], b: [0, 1, 2], paired: true })).toThrow(StatisticsUndefinedError);
  });
});
