import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CostBuckets } from './CostBuckets.js';

describe('CostBuckets', () => {
  it('maps every cost into a bucket whose bounds contain it, monotonically', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (a, b) => {
        const { lo, hi } = CostBuckets.bounds(CostBuckets.of(a));
        expect(lo <= a && a <= hi).toBe(true);
        if (a <= b) expect(CostBuckets.of(a)).toBeLessThanOrEqual(CostBuckets.of(b));
      }),
      { numRuns: 2000, seed: 5 },
    );
  });

  it('agrees across the 2^31 switch between the integer and the float log2', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 33 }), (a) => {
        const { lo, hi } = CostBuckets.bounds(CostBuckets.of(a));
        expect(lo <= a && a <= hi).toBe(true);
        expect(CostBuckets.of(a + 1)).toBeGreaterThanOrEqual(CostBuckets.of(a));
      }),
      { numRuns: 3000, seed: 7 },
    );
    for (const c of [2 ** 31 - 2, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1]) expect(CostBuckets.bounds(CostBuckets.of(c)).hi).toBeGreaterThanOrEqual(c);
    expect(CostBuckets.of(2 ** 31 - 1) + 1).toBe(CostBuckets.of(2 ** 31));
  });

  it('tiles the integers without gaps at powers of two', () => {
    for (let e = 0; e < 53; e++) {
      for (const c of [2 ** e - 1, 2 ** e, 2 ** e + 1]) {
        const b = CostBuckets.of(c);
        expect(CostBuckets.bounds(b).lo, `cost ${c}`).toBeLessThanOrEqual(c);
        expect(CostBuckets.bounds(b).hi, `cost ${c}`).toBeGreaterThanOrEqual(c);
        if (b > 0) expect(CostBuckets.bounds(b - 1).hi + 1).toBe(CostBuckets.bounds(b).lo);
      }
    }
    expect([0, 1, 7, 8, 9, 10].map((c) => CostBuckets.of(c))).toEqual([0, 1, 7, 8, 8, 9]);
    expect(CostBuckets.of(-5)).toBe(-1);
    // each bucket spans at most a quarter of its lowest value above 8
    for (let b = 8; b < 200; b++) {
      const { lo, hi } = CostBuckets.bounds(b);
      expect(hi - lo + 1).toBeLessThanOrEqual(lo / 4);
    }
  });
});
