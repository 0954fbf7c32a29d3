import { describe, expect, it } from 'vitest';
import { analyzeAB } from './analyzeAB.js';
import { mcnemarTest, pairedTTest, welchTTest, wilcoxonSignedRank } from '../stats/index.js';

const A = [0.61, 0.55, 0.72, 0.48, 0.66, 0.59, 0.7, 0.52, 0.63, 0.58, 0.67, 0.5, 0.69, 0.6, 0.57];
const B = A.map((x, i) => x + 0.05 + ((i * 7) % 5) * 0.01);

describe('analyzeAB', () => {
  it('paired numeric: runs paired t and Wilcoxon on B − A, bootstraps a CI, and says B is better', () => {
    const r = analyzeAB({ a: A, b: B, paired: true, seed: 1, resamples: 2000 });
    expect(r.kind).toBe('numeric');
    expect(r.tests.map((t) => t.test)).toEqual(['paired-t', 'wilcoxon']);
    expect(r.tests[0]!.p).toBe(pairedTTest(B, A).p);
    expect(r.tests[1]!.p).toBe(wilcoxonSignedRank(B, A).p);
    expect(r.difference).toBeCloseTo(0.07, 12);
    expect(r.ci.low).toBeGreaterThan(0);
    expect(r.ci.high).toBeGreaterThan(r.ci.low);
    expect(r.significant).toBe(true);
    expect(r.effectSizes.rankBiserial).toBe(1);
    expect(r.summary).toMatch(/^B has a higher mean score than A by 0\.07 \(95% CI .* 15 paired cases\); the difference is statistically significant \(paired-t p < 0\.001\)\./);
  });

  it('is reproducible with a seed', () => {
    const x = analyzeAB({ a: A, b: B, paired: true, seed: 42, resamples: 1000 });
    const y = analyzeAB({ a: A, b: B, paired: true, seed: 42, resamples: 1000 });
    expect(y).toEqual(x);
  });

  it('paired binary: McNemar, and no significance for a small difference', () => {
    const a = [true, true, false, true, false, true, true, false, true, true, false, true];
    const b = [true, false, true, true, true, true, true, false, true, true, true, true];
    const r = analyzeAB({ a, b, paired: true, seed: 3, resamples: 1000, labels: { a: 'cloud', b: 'local' } });
    expect(r.kind).toBe('binary');
    expect(r.primary?.test).toBe('mcnemar');
    expect(r.primary?.p).toBe(mcnemarTest(b, a).p);
    expect(r.effectSizes).toMatchObject({ discordantBOnly: 3, discordantAOnly: 1, oddsRatio: 3 });
    expect(r.significant).toBe(false);
    expect(r.summary).toMatch(/^No significant difference between local and cloud: pass rate 0\.83 vs 0\.67/);
  });

  it('unpaired: Welch and Hedges g', () => {
    const r = analyzeAB({ a: A, b: B.slice(0, 10), paired: false, seed: 1, resamples: 1000 });
    expect(r.tests.map((t) => t.test)).toEqual(['welch']);
    expect(r.tests[0]!.p).toBe(welchTTest(B.slice(0, 10), A).p);
    expect(r.effectSizes.hedgesG).toBeLessThan(r.effectSizes.cohensD!);
  });

  it('repeats: averages into pass rates and reports flaky cases', () => {
    const a = [[true, true, true], [false, false, false], [true, false, true], [true, true, true]];
    const b = [[true, true, true], [true, true, false], [true, true, true], [true, true, true]];
    const r = analyzeAB({ a, b, paired: true, seed: 1, resamples: 500, caseIds: ['q1', 'q2', 'q3', 'q4'] });
    expect(r.kind).toBe('numeric');
    expect(r.meanA).toBeCloseTo((1 + 0 + 2 / 3 + 1) / 4, 12);
    expect(r.flaky).toEqual([
      { caseId: 'q3', side: 'a', values: [true, false, true], passRate: 2 / 3 },
      { caseId: 'q2', side: 'b', values: [true, true, false], passRate: 2 / 3 },
    ]);
    expect(r.summary).toMatch(/2 case result\(s\) changed between repeats \(flaky\)\./);
  });

  it('zero variance: tests are skipped with their reason, not turned into NaN', () => {
    const r = analyzeAB({ a: [1, 2, 3], b: [2, 3, 4], paired: true, seed: 1, resamples: 200 });
    expect(r.skipped.map((s) => s.test)).toEqual(['paired-t', 'paired-dz', 'bootstrap']);
    expect(r.primary).toBeUndefined();
    expect(r.significant).toBe(false);
    expect(r.summary).toMatch(/cannot be compared statistically \(paired-t: the paired differences have zero variance/);
    expect(() => analyzeAB({ a: [1, 2], b: [1], paired: true })).toThrow(RangeError);
  });
});
