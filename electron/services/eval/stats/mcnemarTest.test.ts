import { describe, expect, it } from 'vitest';
import { StatisticsUndefinedError } from './StatisticsUndefinedError.js';
import { mcnemarTest } from './mcnemarTest.js';
import { MCNEMAR, close } from './scipyReference.testdata.js';

// Reference values: SciPy 1.17.1 literals in scipyReference.testdata.ts (each table names the exact call).

describe('mcnemarTest', () => {
  const build = (b: number, c: number): [number[], number[]] => {
    // b pairs with a=1,b=0; c pairs with a=0,b=1; plus some concordant pairs that must not matter.
    const a = [...Array(b).fill(1), ...Array(c).fill(0), 1, 1, 0];
    const bb = [...Array(b).fill(0), ...Array(c).fill(1), 1, 1, 0];
    return [a, bb];
  };
  it.each(MCNEMAR.map((m, i) => [i, m] as const))('exact and chi2-corrected p match the reference, case %i', (_i, m) => {
    const [a, b] = build(m.b, m.c);
    const exact = mcnemarTest(a, b, { method: 'exact' });
    close(exact.p, m.pExact);
    expect(exact.aOnly).toBe(m.b);
    expect(exact.bOnly).toBe(m.c);
    expect(exact.bothPass).toBe(2);
    const chi = mcnemarTest(a, b, { method: 'chi2-corrected' });
    close(chi.statistic, m.chi2);
    close(chi.p, m.pChi2);
    expect(mcnemarTest(a, b).method).toBe(m.b + m.c < 25 ? 'exact' : 'chi2-corrected');
  });
  it('accepts booleans; no discordant pairs → StatisticsUndefinedError', () => {
    expect(mcnemarTest([true, false, true], [false, true, false]).aOnly).toBe(2);
    expect(() => mcnemarTest([1, 0], [1, 0])).toThrow(StatisticsUndefinedError);
    expect(() => mcnemarTest([2], [1])).toThrow(RangeError);
  });
});
