import { StatisticsUndefinedError } from './StatisticsUndefinedError.js';
import { assertFinite, mean, sampleVariance } from './descriptive.js';
import { studentTTwoSidedP } from './specialFunctions.js';
import type { TTestResult } from './welchTTest.js';

/** Element-wise a − b; throws if the lengths differ. */
export function pairedDifferences(a: readonly number[], b: readonly number[], test: string): number[] {
  if (a.length !== b.length) throw new RangeError(`${test}: paired samples differ in length (${a.length} vs ${b.length})`);
  assertFinite(a, 'a');
  assertFinite(b, 'b');
  return a.map((x, i) => x - b[i]!);
}

/**
 * Paired t-test on the differences a − b, identical to `scipy.stats.ttest_rel(a, b)` (two-sided).
 * @throws StatisticsUndefinedError for < 2 pairs or when every difference is the same (zero variance).
 */
export function pairedTTest(a: readonly number[], b: readonly number[]): TTestResult {
  const d = pairedDifferences(a, b, 'paired-t');
  if (d.length < 2) throw new StatisticsUndefinedError('paired-t', 'needs at least 2 pairs');
  const v = sampleVariance(d);
  if (!(v > 0)) throw new StatisticsUndefinedError('paired-t', 'the paired differences have zero variance');
  const meanDifference = mean(d);
  const t = meanDifference / Math.sqrt(v / d.length);
  const df = d.length - 1;
  return { t, df, p: studentTTwoSidedP(t, df), meanDifference };
}
