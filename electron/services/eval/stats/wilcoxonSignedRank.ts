import { StatisticsUndefinedError } from './StatisticsUndefinedError.js';
import { pairedDifferences } from './pairedTTest.js';
import { rankAverage } from './rankAverage.js';
import { normalSf } from './specialFunctions.js';

export type WilcoxonMethod = 'exact' | 'permutation' | 'asymptotic';

export type WilcoxonResult = {
  /** min(R+, R−), what SciPy reports as `statistic` for the two-sided test. */
  statistic: number;
  rPlus: number;
  rMinus: number;
  /** Two-sided p-value. */
  p: number;
  /** How p was computed (see `wilcoxonSignedRank`). */
  method: WilcoxonMethod;
  /** z statistic (−|z|, SciPy's sign convention), only for the asymptotic method. */
  z?: number;
  /** Non-zero differences that were ranked. */
  nUsed: number;
  /** Zero differences dropped (zero_method='wilcox'). */
  nZero: number;
  /** Matched-pairs rank-biserial correlation (R+ − R−) / (R+ + R−), in [−1, 1]; positive when a > b. */
  rankBiserial: number;
};

/** Above this many pairs the exact null distribution is not used (SciPy's `method='auto'` cut-off). */
const EXACT_MAX_N = 50;
/** With ties or zeros and at most this many pairs, all 2^n sign flips are enumerated (SciPy's choice). */
const PERMUTATION_MAX_N = 13;

/** Counts of the signed-rank statistic W+ for n untied ranks 1..n (index = W+), exact up to n = 50 (< 2^53). */
function exactCounts(n: number): number[] {
  const max = (n * (n + 1)) / 2;
  let counts = new Array<number>(max + 1).fill(0);
  counts[0] = 1;
  for (let k = 1; k <= n; k++) {
    const next = counts.slice();
    for (let w = k; w <= max; w++) next[w]! += counts[w - k]!;
    counts = next;
  }
  return counts;
}

/**
 * Wilcoxon signed-rank test on paired samples (differences a − b), two-sided. Matches SciPy 1.17's
 * `scipy.stats.wilcoxon(a, b)` defaults exactly: `zero_method='wilcox'` (zero differences are
 * dropped before ranking), `correction=False` (no continuity correction), `method='auto'`, which is:
 * - n ≤ 50 pairs, no ties and no zeros → **exact** null distribution,
 *   p = 2·min(P(W+ ≥ ⌊R+⌋), P(W+ ≤ ⌈R+⌉)), clipped to 1;
 * - n ≤ 13 pairs with ties or zeros → **permutation**: all 2^n sign flips enumerated, so p is
 *   deterministic (the same as SciPy's `permutation_test` with 9999 ≥ 2^13 resamples);
 * - otherwise → **asymptotic** normal approximation with the tie correction Σ(t³ − t)/48 in the
 *   variance; z = (R+ − n(n+1)/4)/σ.
 * n counts zero differences for the 50/13 cut-offs (as SciPy does), but not in the ranks.
 * @throws StatisticsUndefinedError when every difference is zero.
 */
export function wilcoxonSignedRank(a: readonly number[], b: readonly number[], options: { method?: 'auto' | WilcoxonMethod } = {}): WilcoxonResult {
  const d = pairedDifferences(a, b, 'wilcoxon');
  const nonZero = d.filter((x) => x !== 0);
  const nZero = d.length - nonZero.length;
  if (nonZero.length === 0) throw new StatisticsUndefinedError('wilcoxon', 'every paired difference is zero');
  const { ranks, tieGroupSizes } = rankAverage(nonZero.map(Math.abs));
  let rPlus = 0;
  let rMinus = 0;
  nonZero.forEach((x, i) => {
    if (x > 0) rPlus += ranks[i]!;
    else rMinus += ranks[i]!;
  });
  const hasTies = tieGroupSizes.some((t) => t > 1);
  const n = nonZero.length;

  let method: WilcoxonMethod;
  if (options.method && options.method !== 'auto') method = options.method;
  else if (d.length > EXACT_MAX_N) method = 'asymptotic';
  else if (!hasTies && nZero === 0) method = 'exact';
  else if (d.length <= PERMUTATION_MAX_N) method = 'permutation';
  else method = 'asymptotic';

  let p: number;
  let z: number | undefined;
  if (method === 'exact') {
    if (n > EXACT_MAX_N) throw new RangeError(`wilcoxon: the exact distribution is limited to ${EXACT_MAX_N} pairs`);
    const counts = exactCounts(n);
    const total = 2 ** n;
    const lo = Math.ceil(rPlus);
    const hi = Math.floor(rPlus);
    let cdf = 0;
    for (let w = 0; w <= lo && w < counts.length; w++) cdf += counts[w]!;
    let sf = 0;
    for (let w = Math.max(hi, 0); w < counts.length; w++) sf += counts[w]!;
    p = Math.min(1, (2 * Math.min(cdf, sf)) / total);
  } else if (method === 'permutation') {
    if (n > 20) throw new RangeError('wilcoxon: exhaustive permutation is limited to 20 non-zero pairs');
    const absRanks = ranks;
    const total = 2 ** n;
    // SciPy compares with a relative tolerance (100·eps) so that float round-off does not flip ties.
    const gamma = Math.abs(100 * Number.EPSILON * rPlus);
    let less = 0;
    let greater = 0;
    for (let mask = 0; mask < total; mask++) {
      let s = 0;
      for (let i = 0; i < n; i++) if (mask & (1 << i)) s += absRanks[i]!;
      if (s <= rPlus + gamma) less++;
      if (s >= rPlus - gamma) greater++;
    }
    p = Math.min(1, (2 * Math.min(less, greater)) / total);
  } else {
    const mn = (n * (n + 1)) / 4;
    const tieCorrection = tieGroupSizes.reduce((s, t) => s + t * t * t - t, 0);
    const se = Math.sqrt((n * (n + 1) * (2 * n + 1) - tieCorrection / 2) / 24);
    if (!(se > 0)) throw new StatisticsUndefinedError('wilcoxon', 'the rank variance is zero');
    const zRaw = (rPlus - mn) / se;
    z = -Math.abs(zRaw);
    p = Math.min(1, 2 * normalSf(Math.abs(zRaw)));
  }
  return {
    statistic: Math.min(rPlus, rMinus),
    rPlus,
    rMinus,
    p,
    method,
    ...(z === undefined ? {} : { z }),
    nUsed: n,
    nZero,
    rankBiserial: (rPlus - rMinus) / (rPlus + rMinus),
  };
}
