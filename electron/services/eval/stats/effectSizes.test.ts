import { describe, expect, it } from 'vitest';
import { StatisticsUndefinedError } from './StatisticsUndefinedError.js';
import { cohensD, hedgesG, pairedDz } from './effectSizes.js';
import { PAIRED, WELCH, close } from './scipyReference.testdata.js';

// Reference values: SciPy 1.17.1 literals in scipyReference.testdata.ts (each table names the exact call).

describe('effect sizes', () => {
  it.each(WELCH.map((c, i) => [i, c] as const))("Cohen's d and Hedges' g case %i", (_i, c) => {
    close(cohensD(c.a, c.b), c.d);
    close(hedgesG(c.a, c.b), c.g);
  });
  it.each(PAIRED.map((c, i) => [i, c] as const))('paired dz case %i', (_i, c) => {
    close(pairedDz(c.a, c.b), c.dz);
  });
  it('zero variance is undefined, not Infinity', () => {
    expect(() => cohensD([2, 2], [2, 2])).toThrow(StatisticsUndefinedError);
    expect(() => pairedDz([1, 2, 3], [0, 1, 2])).toThrow(StatisticsUndefinedError);
  });
});
