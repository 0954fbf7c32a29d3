import { StatisticsUndefinedError } from './StatisticsUndefinedError.js';
import { assertFinite, mean, sampleVariance } from './descriptive.js';
import { studentTTwoSidedP } from './specialFunctions.js';

export type TTestResult = {
  /** t statistic, positive when mean(a) > mean(b). */
  t: number;
  /** Degrees of freedom (Welch–Satterthwaite for Welch's test; n−1 for the paired test). */
  df: number;
  /** Two-sided p-value. */
  p: number;
  /** mean(a) − mean(b) (or mean of paired differences). */
  meanDifference: number;
};

/**
 * Welch's unequal-variance t-test, identical to `scipy.stats.ttest_ind(a, b, equal_var=False)`
 * (two-sided). Preferred over Student's pooled test by default: it loses almost nothing when the
 * variances are equal and stays honest when they are not.
 * @throws StatisticsUndefinedError when a group has < 2 values or both variances are zero.
 */
export function welchTTest(a: readonly number[], b: readonly number[]): TTestResult {
  assertFinite(a, 'a');
  assertFinite(b, 'b');
  if (a.length < 2 || b.length < 2) throw new StatisticsUndefinedError('welch', 'each sample needs at least 2 values');
  const va = sampleVariance(a) / a.length;
  const vb = sampleVariance(b) / b.length;
  const se2 = va + vb;
  if (!(se2 > 0)) throw new StatisticsUndefinedError('welch', 'both samples have zero variance');
  const meanDifference = mean(a) - mean(b);
  const t = meanDifference / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1));
  return { t, df, p: studentTTwoSidedP(t, df), meanDifference };
}
