import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StatisticsUndefinedError } from './StatisticsUndefinedError.js';
import { mcnemarTest } from './mcnemarTest.js';
import { pairedTTest } from './pairedTTest.js';
import { regularizedIncompleteBeta } from './specialFunctions.js';
import { welchTTest } from './welchTTest.js';
import { wilcoxonSignedRank } from './wilcoxonSignedRank.js';

// Invariants that any correct implementation satisfies, over random inputs (complementing the SciPy tables).
const sample = (min: number, max: number) => fc.array(fc.integer({ min: -500, max: 500 }).map((x) => x / 10), { minLength: min, maxLength: max });
const undefinedOk = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof StatisticsUndefinedError)) throw e;
  }
};

describe('statistical invariants', () => {
  it('Welch: swapping a and b negates t and keeps df and p; p in [0, 1]', () => {
    fc.assert(
      fc.property(sample(2, 30), sample(2, 30), (a, b) =>
        undefinedOk(() => {
          const x = welchTTest(a, b);
          const y = welchTTest(b, a);
          expect(y.t).toBeCloseTo(-x.t, 9);
          expect(y.df).toBeCloseTo(x.df, 9);
          expect(y.p).toBeCloseTo(x.p, 12);
          expect(x.p).toBeGreaterThanOrEqual(0);
          expect(x.p).toBeLessThanOrEqual(1);
        }),
      ),
      { numRuns: 150 },
    );
  });

  it('paired t and Wilcoxon are invariant to adding the same constant to both samples, and symmetric under swap', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 })), { minLength: 2, maxLength: 25 }), fc.integer({ min: -100, max: 100 }), (pairs, shift) => {
        const a = pairs.map((p) => p[0]);
        const b = pairs.map((p) => p[1]);
        undefinedOk(() => {
          const t = pairedTTest(a, b);
          expect(pairedTTest(a.map((x) => x + shift), b.map((x) => x + shift)).p).toBeCloseTo(t.p, 9);
          expect(pairedTTest(b, a).p).toBeCloseTo(t.p, 12);
        });
        undefinedOk(() => {
          const w = wilcoxonSignedRank(a, b);
          const s = wilcoxonSignedRank(b, a);
          expect(s.p).toBeCloseTo(w.p, 12);
          expect(s.statistic).toBe(w.statistic);
          expect(s.rankBiserial).toBeCloseTo(-w.rankBiserial, 12);
          expect(w.p).toBeLessThanOrEqual(1);
          expect(w.p).toBeGreaterThan(0);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('McNemar is symmetric under swapping the two systems', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 80 }), (pairs) =>
        undefinedOk(() => {
          const a = pairs.map((p) => p[0]);
          const b = pairs.map((p) => p[1]);
          expect(mcnemarTest(b, a).p).toBeCloseTo(mcnemarTest(a, b).p, 12);
        }),
      ),
      { numRuns: 150 },
    );
  });

  it('incomplete beta symmetry I_x(a, b) = 1 − I_{1−x}(b, a)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.double({ min: 0.1, max: 50, noNaN: true }), fc.double({ min: 0.1, max: 50, noNaN: true }), (x, a, b) => {
        expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(1 - regularizedIncompleteBeta(1 - x, b, a), 11);
      }),
      { numRuns: 200 },
    );
  });
});
