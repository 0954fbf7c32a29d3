import { StatisticsUndefinedError } from './StatisticsUndefinedError.js';
import { binomialCdf, chiSquareSf } from './specialFunctions.js';

export type McNemarMethod = 'exact' | 'chi2-corrected';

export type McNemarResult = {
  /** Pairs where a passed and b failed. */
  aOnly: number;
  /** Pairs where b passed and a failed. */
  bOnly: number;
  /** Both passed / both failed (ignored by the test, reported for context). */
  bothPass: number;
  bothFail: number;
  /** exact: min(aOnly, bOnly); chi2-corrected: (|b − c| − 1)² / (b + c). */
  statistic: number;
  p: number;
  method: McNemarMethod;
};

/** Below this many discordant pairs the exact binomial test is used by default. */
export const MCNEMAR_EXACT_BELOW = 25;

/**
 * McNemar's test for paired pass/fail outcomes, two-sided. Conventions match statsmodels'
 * `statsmodels.stats.contingency_tables.mcnemar`:
 * - `exact` = `mcnemar(table, exact=True)`: binomial test on the discordant pairs,
 *   p = min(1, 2·BinomCDF(min(b, c); b + c, ½)) (same as `scipy.stats.binomtest(min(b,c), b+c, 0.5)`);
 * - `chi2-corrected` = `mcnemar(table, exact=False, correction=True)`: Edwards' continuity
 *   corrected χ²(1) = (|b − c| − 1)² / (b + c).
 * Default `'auto'`: exact when b + c < 25 (the usual rule of thumb; the χ² approximation is poor
 * for few discordant pairs), χ² otherwise.
 * @throws StatisticsUndefinedError when there are no discordant pairs.
 */
export function mcnemarTest(
  a: readonly (boolean | number)[],
  b: readonly (boolean | number)[],
  options: { method?: 'auto' | McNemarMethod } = {},
): McNemarResult {
  if (a.length !== b.length) throw new RangeError(`mcnemar: paired samples differ in length (${a.length} vs ${b.length})`);
  const toBool = (v: boolean | number, name: string, i: number): boolean => {
    if (v === true || v === 1) return true;
    if (v === false || v === 0) return false;
    throw new RangeError(`mcnemar: ${name}[${i}] must be 0/1 or boolean, got ${String(v)}`);
  };
  let aOnly = 0;
  let bOnly = 0;
  let bothPass = 0;
  let bothFail = 0;
  a.forEach((va, i) => {
    const x = toBool(va, 'a', i);
    const y = toBool(b[i]!, 'b', i);
    if (x && y) bothPass++;
    else if (x) aOnly++;
    else if (y) bOnly++;
    else bothFail++;
  });
  const n = aOnly + bOnly;
  if (n === 0) throw new StatisticsUndefinedError('mcnemar', 'there are no discordant pairs');
  const method: McNemarMethod =
    options.method && options.method !== 'auto' ? options.method : n < MCNEMAR_EXACT_BELOW ? 'exact' : 'chi2-corrected';
  if (method === 'exact') {
    const k = Math.min(aOnly, bOnly);
    return { aOnly, bOnly, bothPass, bothFail, statistic: k, p: Math.min(1, 2 * binomialCdf(k, n, 0.5)), method };
  }
  const statistic = (Math.abs(aOnly - bOnly) - 1) ** 2 / n;
  return { aOnly, bOnly, bothPass, bothFail, statistic, p: chiSquareSf(statistic, 1), method };
}
