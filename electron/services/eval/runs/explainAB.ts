import type { AbAnalysis } from '../../../../shared/schemas/eval.js';
import type { ABResult } from '../ab/analyzeAB.js';

type Magnitude = 'negligible' | 'small' | 'medium' | 'large';
const magnitude = (d: number): Magnitude => (Math.abs(d) < 0.2 ? 'negligible' : Math.abs(d) < 0.5 ? 'small' : Math.abs(d) < 0.8 ? 'medium' : 'large');
const points = (x: number): string => String(Math.round(x * 1000) / 10);
const fmtP = (p: number): string => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

/**
 * The effect size a reader can compare across experiments: paired dz for numeric scores, Hedges' g unpaired, and
 * Cohen's h (2·asin√pB − 2·asin√pA) for pass rates, where McNemar gives no standardised effect. Cohen's
 * conventional 0.2 / 0.5 / 0.8 thresholds name the magnitude.
 */
export function effectOf(r: ABResult): AbAnalysis['effect'] {
  let name: string;
  let value: number | undefined;
  if (r.kind === 'binary') {
    name = "Cohen's h";
    value = 2 * Math.asin(Math.sqrt(r.meanB)) - 2 * Math.asin(Math.sqrt(r.meanA));
  } else if (r.effectSizes.dz !== undefined) {
    name = 'dz';
    value = r.effectSizes.dz;
  } else {
    name = "Hedges' g";
    value = r.effectSizes.hedgesG;
  }
  return value === undefined || !Number.isFinite(value) ? null : { name, value, magnitude: magnitude(value) };
}

/** Shrinks `analyzeAB`'s result to the stored report shape. */
export function toAbAnalysis(r: ABResult): AbAnalysis {
  return {
    kind: r.kind,
    n: r.n.a,
    meanA: r.meanA,
    meanB: r.meanB,
    difference: r.difference,
    ci: { low: r.ci.low, high: r.ci.high, confidence: r.ci.confidence },
    tests: r.tests.map((t) => ({ test: t.test, p: t.p, statistic: t.statistic })),
    skipped: r.skipped,
    primary: r.primary === undefined ? null : { test: r.primary.test, p: r.primary.p },
    significant: r.significant,
    effect: effectOf(r),
    flaky: r.flaky.map((f) => ({ caseId: f.caseId, side: f.side, values: f.values })),
    summary: r.summary,
  };
}

/**
 * One plain-words paragraph for people who do not read p-values: which arm is better by how many points (scores
 * are in [0, 1], so ×100), the 95% interval, the p-value of the primary test and the size of the effect — e.g.
 * "B is better by 20 points (95% CI 5 to 35), p = 0.031, that is a medium effect."
 */
export function explainAB(a: AbAnalysis | null, labels: { a: string; b: string }): string {
  if (a === null) return 'No case has finished on both sides yet.';
  const conf = `${Math.round(a.ci.confidence * 100)}% CI ${points(a.ci.low)} to ${points(a.ci.high)}`;
  const what = a.kind === 'binary' ? 'pass rate' : 'mean score';
  const rates = `${what} ${points(a.meanA)}% for ${labels.a} vs ${points(a.meanB)}% for ${labels.b} over ${a.n} case${a.n === 1 ? '' : 's'}`;
  const effect = a.effect === null ? '' : `, that is a ${a.effect.magnitude} effect (${a.effect.name} = ${a.effect.value.toFixed(2)})`;
  if (a.primary === null) {
    if (a.difference === 0 && a.ci.low === a.ci.high) {
      return `${labels.a} and ${labels.b} scored exactly the same on every case (${rates}), so there is no difference to test. Cases where at least one of them succeeds and the other does not are what tell prompts apart.`;
    }
    const reasons = [...new Set(a.skipped.map((s) => s.reason))];
    return `${labels.a} and ${labels.b} cannot be compared statistically yet (${reasons.join('; ') || 'too few cases'}): ${rates}.`;
  }
  const p = `${fmtP(a.primary.p)} (${a.primary.test})`;
  let text: string;
  if (a.difference === 0) text = `${labels.a} and ${labels.b} scored the same (${conf}), ${p}${effect}.`;
  else {
    const better = a.difference > 0 ? labels.b : labels.a;
    const diff = points(Math.abs(a.difference));
    // the interval is for B − A; flip it when A is the better one so it reads in the sentence's direction
    const ci = a.difference > 0 ? conf : `${Math.round(a.ci.confidence * 100)}% CI ${points(-a.ci.high)} to ${points(-a.ci.low)}`;
    text = `${better} is better by ${diff} point${diff === '1' ? '' : 's'} (${ci}), ${p}${effect}.`;
  }
  text += a.significant
    ? ` The difference is statistically significant: ${rates}.`
    : ` That is not statistically significant — it could be chance; more cases would tell (${rates}).`;
  if (a.flaky.length) text += ` ${a.flaky.length} case result(s) changed between repeats (flaky).`;
  return text;
}
