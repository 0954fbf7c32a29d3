import { describe, expect, it } from 'vitest';
import { StatisticsUndefinedError } from './StatisticsUndefinedError.js';
import { wilcoxonSignedRank } from './wilcoxonSignedRank.js';
import { WILCOXON, close } from './scipyReference.testdata.js';

// Reference values: SciPy 1.17.1 literals in scipyReference.testdata.ts (each table names the exact call).

describe('wilcoxonSignedRank', () => {
  it.each(WILCOXON.map((c, i) => [i, c] as const))('matches scipy.stats.wilcoxon (method=auto) case %i', (_i, c) => {
    const r = wilcoxonSignedRank(c.a, c.b);
    close(r.statistic, c.statistic);
    close(r.p, c.p);
    close(r.rankBiserial, c.rb);
    const d = c.a.map((x, i) => x - c.b[i]!);
    const abs = d.filter((x) => x !== 0).map(Math.abs);
    const tiesOrZeros = new Set(abs).size < abs.length || abs.length < d.length;
    const expected = d.length > 50 ? 'asymptotic' : !tiesOrZeros ? 'exact' : d.length <= 13 ? 'permutation' : 'asymptotic';
    expect(r.method).toBe(expected);
  });
  it('covers all three methods in the reference table', () => {
    const methods = new Set(WILCOXON.map((c) => wilcoxonSignedRank(c.a, c.b).method));
    expect([...methods].sort()).toEqual(['asymptotic', 'exact', 'permutation']);
  });
  it('drops zero differences (wilcox) and reports how many', () => {
    const r = wilcoxonSignedRank([1, 2, 3, 4, 5], [1, 1, 1, 1, 1]);
    expect(r.nZero).toBe(1);
    expect(r.nUsed).toBe(4);
    expect(r.rankBiserial).toBe(1);
  });
  it('all-zero differences → StatisticsUndefinedError', () => {
    expect(() => wilcoxonSignedRank([1, 2], [1, 2])).toThrow(StatisticsUndefinedError);
  });
});
