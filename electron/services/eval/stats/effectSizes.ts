import { StatisticsUndefinedError } from './StatisticsUndefinedError.js';
import { assertFinite, mean, sampleVariance } from './descriptive.js';
import { pairedDifferences } from './pairedTTest.js';
import { logGamma } from './specialFunctions.js';

/**
 * Cohen's d for two independent samples: (mean(a) − mean(b)) / pooled SD, pooled SD =
 * √(((na−1)·va + (nb−1)·vb) / (na + nb − 2)). Rough reading: 0.2 small, 0.5 medium, 0.8 large.
 */
export function cohensD(a: readonly number[], b: readonly number[]): number {
  assertFinite(a, 'a');
  assertFinite(b, 'b');
  if (a.length < 2 || b.length < 2) throw new StatisticsUndefinedError('cohens-d', 'each sample needs at least 2 values');
  const pooled = ((a.length - 1) * sampleVariance(a) + (b.length - 1) * sampleVariance(b)) / (a.length + b.length - 2);
  if (!(pooled > 0)) throw new StatisticsUndefinedError('cohens-d', 'both samples have zero variance');
  return (mean(a) - mean(b)) / Math.sqrt(pooled);
}

/**
 * Hedges' small-sample correction factor J(df) = Γ(df/2) / (√(df/2)·Γ((df−1)/2)), the exact
 * form (the common 1 − 3/(4df − 1) is its approximation, off by < 0.001 at df ≥ 10).
 */
export function hedgesCorrection(df: number): number {
  return Math.exp(logGamma(df / 2) - Math.log(Math.sqrt(df / 2)) - logGamma((df - 1) / 2));
}

/** Hedges' g = J(na + nb − 2) · Cohen's d (less biased than d for small samples). */
export function hedgesG(a: readonly number[], b: readonly number[]): number {
  return hedgesCorrection(a.length + b.length - 2) * cohensD(a, b);
}

/** Paired effect size d_z = mean(a − b) / SD(a − b) (SD with ddof = 1). */
export function pairedDz(a: readonly number[], b: readonly number[]): number {
  const d = pairedDifferences(a, b, 'paired-dz');
  if (d.length < 2) throw new StatisticsUndefinedError('paired-dz', 'needs at least 2 pairs');
  const v = sampleVariance(d);
  if (!(v > 0)) throw new StatisticsUndefinedError('paired-dz', 'the paired differences have zero variance');
  return mean(d) / Math.sqrt(v);
}
