import { describe, expect, it } from 'vitest';
import { StatisticsUndefinedError } from './StatisticsUndefinedError.js';
import { pairedTTest } from './pairedTTest.js';
import { PAIRED, close } from './scipyReference.testdata.js';

// Reference values: SciPy 1.17.1 literals in scipyReference.testdata.ts (each table names the exact call).

describe('pairedTTest', () => {
  it.each(PAIRED.map((c, i) => [i, c] as const))('matches scipy.stats.ttest_rel case %i', (_i, c) => {
    const r = pairedTTest(c.a, c.b);
    close(r.t, c.t);
    expect(r.df).toBe(c.df);
    close(r.p, c.p);
  });
  it('constant differences → StatisticsUndefinedError {test: paired-t}', () => {
    try {
      pairedTTest([1, 2, 3], [0.5, 1.5, 2.5]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StatisticsUndefinedError);
      expect((e as StatisticsUndefinedError).details).toMatchObject({ test: 'paired-t' });
    }
  });
  it('unequal lengths are a programming error', () => {
    expect(() => pairedTTest([1, 2], [1, 2, 3])).toThrow(RangeError);
  });
});
