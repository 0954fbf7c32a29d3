import { describe, expect, it } from 'vitest';
import { StatisticsUndefinedError } from './StatisticsUndefinedError.js';
import { welchTTest } from './welchTTest.js';
import { WELCH, close } from './scipyReference.testdata.js';

// Reference values: SciPy 1.17.1 literals in scipyReference.testdata.ts (each table names the exact call).

describe('welchTTest', () => {
  it.each(WELCH.map((c, i) => [i, c] as const))('matches scipy.stats.ttest_ind(equal_var=False) case %i', (_i, c) => {
    const r = welchTTest(c.a, c.b);
    close(r.t, c.t);
    close(r.df, c.df);
    close(r.p, c.p);
  });
  it('throws StatisticsUndefinedError for zero-variance samples, with details', () => {
    const err = (() => { try { welchTTest([1, 1, 1], [2, 2, 2]); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(StatisticsUndefinedError);
    expect((err as StatisticsUndefinedError).code).toBe('STATISTICS_UNDEFINED');
    expect((err as StatisticsUndefinedError).details).toEqual({ test: 'welch', reason: 'both samples have zero variance' });
  });
  it('still works when only one sample has zero variance', () => {
    expect(welchTTest([1, 1, 1], [2, 3, 4]).df).toBeCloseTo(2, 12);
  });
  it('rejects non-finite input and too-small samples', () => {
    expect(() => welchTTest([1, NaN], [1, 2])).toThrow(RangeError);
    expect(() => welchTTest([1], [1, 2])).toThrow(StatisticsUndefinedError);
  });
});
