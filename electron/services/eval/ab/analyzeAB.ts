import {
  StatisticsUndefinedError,
  bootstrapCi,
  cohensD,
  hedgesG,
  mcnemarTest,
  mean,
  pairedDz,
  pairedTTest,
  welchTTest,
  wilcoxonSignedRank,
  type BootstrapResult,
} from '../stats/index.js';

type Scores = readonly number[] | readonly boolean[];
/** Per case: one score, or several repeats of the same case (for flakiness detection). */
type ScoresOrRepeats = Scores | readonly (readonly number[] | readonly boolean[])[];

export type ABOptions = {
  /** Baseline scores, one per case (or an array of repeats per case). Booleans = pass/fail. */
  a: ScoresOrRepeats;
  /** Candidate scores, aligned with `a` when paired. */
  b: ScoresOrRepeats;
  /** Same cases on both sides (default true for equal lengths is NOT assumed: say so explicitly). */
  paired: boolean;
  /** Bootstrap seed; the whole analysis is deterministic given it. Default 0. */
  seed?: number;
  /** Significance level for the summary sentence. Default 0.05. */
  alpha?: number;
  /** Default 9999. */
  resamples?: number;
  /** Names used in the summary. Default "A" / "B". */
  labels?: { a: string; b: string };
  /** Case ids (for flaky-case reporting). Default "case-<i>". */
  caseIds?: readonly string[];
  /** Numeric repeats whose max − min exceeds this are flaky. Default 0 (any disagreement). */
  flakyTolerance?: number;
};

export type TestOutcome = { test: string; p: number; statistic: number; method?: string; df?: number };
export type SkippedTest = { test: string; reason: string };
export type FlakyCase = { caseId: string; side: 'a' | 'b'; values: (number | boolean)[]; passRate?: number };

export type ABResult = {
  n: { a: number; b: number };
  kind: 'binary' | 'numeric';
  paired: boolean;
  meanA: number;
  meanB: number;
  /** mean(B) − mean(A): positive means B scores higher. */
  difference: number;
  ci: BootstrapResult;
  tests: TestOutcome[];
  /** Tests that are undefined for this data (e.g. zero variance), with the reason. */
  skipped: SkippedTest[];
  effectSizes: Record<string, number>;
  /** The test the verdict is based on: McNemar (paired binary), paired t (paired numeric), Welch (unpaired). */
  primary: TestOutcome | undefined;
  significant: boolean;
  flaky: FlakyCase[];
  summary: string;
};

function collapse(side: ScoresOrRepeats, name: 'a' | 'b', ids: readonly string[] | undefined, tol: number, flaky: FlakyCase[]): { values: number[]; binary: boolean } {
  let binary = true;
  const values = side.map((entry, i) => {
    const reps = (Array.isArray(entry) ? entry : [entry]) as (number | boolean)[];
    if (reps.length === 0) throw new RangeError(`analyzeAB: ${name}[${i}] has no repeats`);
    const nums = reps.map((r) => {
      if (typeof r === 'boolean') return r ? 1 : 0;
      if (typeof r !== 'number' || !Number.isFinite(r)) throw new RangeError(`analyzeAB: ${name}[${i}] is not a finite number or boolean`);
      binary = false;
      return r;
    });
    if (reps.length > 1 && Math.max(...nums) - Math.min(...nums) > tol) {
      const allBool = reps.every((r) => typeof r === 'boolean');
      flaky.push({ caseId: ids?.[i] ?? `case-${i}`, side: name, values: reps, ...(allBool ? { passRate: mean(nums) } : {}) });
    }
    if (reps.length > 1) binary = false; // a pass rate over repeats is a proportion, not a pass/fail
    return mean(nums);
  });
  return { values, binary };
}

const fmt = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : String(Number(x.toPrecision(2))));
const fmtP = (p: number): string => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);
const magnitude = (d: number): string => (Math.abs(d) < 0.2 ? 'negligible' : Math.abs(d) < 0.5 ? 'small' : Math.abs(d) < 0.8 ? 'medium' : 'large');

/**
 * A/B comparison of two prompts, models or local-vs-cloud runs on the same eval cases. Runs every
 * applicable test — paired binary: McNemar; paired numeric: paired t and Wilcoxon; unpaired:
 * Welch — plus a seeded bootstrap CI (BCa) of mean(B) − mean(A), effect sizes, and flaky-case
 * detection when cases were repeated (repeats are averaged into a per-case score first). Verdict
 * uses the primary test at `alpha`; when tests disagree the summary says so. Deterministic for a
 * given seed. Tests that are undefined for the data land in `skipped` with the reason.
 */
export function analyzeAB(options: ABOptions): ABResult {
  const alpha = options.alpha ?? 0.05;
  const seed = options.seed ?? 0;
  const labels = options.labels ?? { a: 'A', b: 'B' };
  const tol = options.flakyTolerance ?? 0;
  const flaky: FlakyCase[] = [];
  const A = collapse(options.a, 'a', options.caseIds, tol, flaky);
  const B = collapse(options.b, 'b', options.caseIds, tol, flaky);
  if (options.paired && A.values.length !== B.values.length) throw new RangeError(`analyzeAB: paired samples differ in length (${A.values.length} vs ${B.values.length})`);
  const binary = A.binary && B.binary;
  const a = A.values;
  const b = B.values;
  const tests: TestOutcome[] = [];
  const skipped: SkippedTest[] = [];
  const effectSizes: Record<string, number> = {};
  const attempt = (test: string, fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      if (e instanceof StatisticsUndefinedError) skipped.push({ test, reason: e.reason });
      else throw e;
    }
  };

  // Every test is called as (b, a) so that positive statistics mean "B higher".
  if (options.paired && binary) {
    attempt('mcnemar', () => {
      const r = mcnemarTest(b, a);
      tests.push({ test: 'mcnemar', p: r.p, statistic: r.statistic, method: r.method });
      effectSizes.discordantBOnly = r.aOnly;
      effectSizes.discordantAOnly = r.bOnly;
      if (r.bOnly > 0) effectSizes.oddsRatio = r.aOnly / r.bOnly;
    });
  }
  if (options.paired && !binary) {
    attempt('paired-t', () => {
      const r = pairedTTest(b, a);
      tests.push({ test: 'paired-t', p: r.p, statistic: r.t, df: r.df });
    });
    attempt('wilcoxon', () => {
      const r = wilcoxonSignedRank(b, a);
      tests.push({ test: 'wilcoxon', p: r.p, statistic: r.statistic, method: r.method });
      effectSizes.rankBiserial = r.rankBiserial;
    });
    attempt('paired-dz', () => {
      effectSizes.dz = pairedDz(b, a);
    });
  }
  if (!options.paired) {
    attempt('welch', () => {
      const r = welchTTest(b, a);
      tests.push({ test: 'welch', p: r.p, statistic: r.t, df: r.df });
    });
    attempt('cohens-d', () => {
      effectSizes.cohensD = cohensD(b, a);
      effectSizes.hedgesG = hedgesG(b, a);
    });
  }
  const meanA = mean(a);
  const meanB = mean(b);
  const difference = meanB - meanA;
  let ci: BootstrapResult;
  try {
    ci = bootstrapCi({ a: b, b: a, paired: options.paired, seed, resamples: options.resamples ?? 9999 });
  } catch (e) {
    if (!(e instanceof StatisticsUndefinedError)) throw e;
    // No variation at all: the interval is the point itself (every resample equals the estimate).
    skipped.push({ test: 'bootstrap', reason: e.reason });
    ci = { estimate: difference, low: difference, high: difference, confidence: 0.95, method: 'bca', resamples: 0, seed };
  }

  const primaryName = options.paired ? (binary ? 'mcnemar' : 'paired-t') : 'welch';
  const primary = tests.find((t) => t.test === primaryName);
  const significant = primary !== undefined && primary.p < alpha;
  const conf = `${Math.round(ci.confidence * 100)}% CI ${fmt(ci.low)} to ${fmt(ci.high)}`;
  const nText = options.paired ? `${a.length} paired cases` : `${a.length} vs ${b.length} cases`;
  const what = binary ? 'pass rate' : 'mean score';
  const higher = difference > 0 ? labels.b : labels.a;
  const lower = difference > 0 ? labels.a : labels.b;
  let summary: string;
  if (!primary) {
    summary = `${labels.b} and ${labels.a} cannot be compared statistically (${skipped.map((s) => `${s.test}: ${s.reason}`).join('; ')}); ${what} ${fmt(meanB)} vs ${fmt(meanA)} over ${nText}.`;
  } else if (significant) {
    summary = `${higher} has a higher ${what} than ${lower} by ${fmt(Math.abs(difference))} (${conf}, ${nText}); the difference is statistically significant (${primary.test} ${fmtP(primary.p)}).`;
  } else {
    summary = `No significant difference between ${labels.b} and ${labels.a}: ${what} ${fmt(meanB)} vs ${fmt(meanA)}, difference ${fmt(difference)} (${conf}, ${nText}; ${primary.test} ${fmtP(primary.p)}).`;
  }
  const others = tests.filter((t) => t !== primary);
  const disagree = primary ? others.filter((t) => t.p < alpha !== significant) : [];
  if (disagree.length) summary += ` Note: ${disagree.map((t) => `${t.test} gives ${fmtP(t.p)}`).join(', ')}, so the result is borderline.`;
  const es = effectSizes.dz ?? effectSizes.hedgesG;
  if (es !== undefined) summary += ` Effect size ${effectSizes.dz !== undefined ? 'dz' : 'g'} = ${es.toFixed(2)} (${magnitude(es)}).`;
  if (flaky.length) summary += ` ${flaky.length} case result(s) changed between repeats (flaky).`;

  return { n: { a: a.length, b: b.length }, kind: binary ? 'binary' : 'numeric', paired: options.paired, meanA, meanB, difference, ci, tests, skipped, effectSizes, primary, significant, flaky, summary };
}
