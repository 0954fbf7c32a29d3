import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AbStartInput, type AbReport } from '../../../../shared/schemas/eval.js';
import { EvalStore } from '../store/index.js';
import { EvalCancelledError } from './EvalCancelledError.js';
import { EvalRunner } from './EvalRunner.js';
import { explainAB } from './explainAB.js';
import { fakeEvalModel, type FakeAnswer } from './fakeEvalModel.testkit.js';
import { AB_INTERIM_ALPHA, planAB, runAB } from './runAB.js';

let dir: string;
let store: EvalStore;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hearth-evalab-'));
  store = await EvalStore.open({ dataDir: dir });
});
afterEach(async () => {
  store.dispose();
  await rm(dir, { recursive: true, force: true });
});

const cases = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ id: `c${i}`, input: `item ${i}`, expected: `ok ${i}` })).join('\n');
/** Prompt "A:" answers cases with even ids right; prompt "B:" answers all right except c1. */
const answer: FakeAnswer = (prompt) => {
  const i = Number(/item (\d+)/.exec(prompt)![1]);
  if (prompt.startsWith('A:')) return i % 2 === 0 ? `ok ${i}` : 'no';
  return i === 1 ? 'no' : `ok ${i}`;
};
const config = (over: Partial<AbStartInput> = {}) =>
  AbStartInput.parse({ dataset: 'd', a: { name: 'terse', promptTemplate: 'A: {{input}}' }, b: { name: 'polite', promptTemplate: 'B: {{input}}' }, ...over });

async function ab(over: Partial<AbStartInput> = {}, fake: FakeAnswer = answer, costPerCall = 10): Promise<{ report: AbReport; calls: string[] }> {
  const model = fakeEvalModel(fake, { costPerCall });
  const runner = new EvalRunner(store, model);
  const plan = planAB(store, runner, config(over));
  const report = await runAB(plan, { store, runner });
  return { report, calls: model.calls };
}

/** Everything but ids and timestamps. */
const stable = (r: AbReport) => ({ ...r, id: '', runA: '', runB: '', createdAt: '', finishedAt: '' });

describe('runAB', () => {
  it('runs both arms on the same cases and explains the paired difference in plain words', async () => {
    store.importDataset('d', cases(24));
    const { report, calls } = await ab({ seed: 7 });
    expect(calls).toHaveLength(48);
    expect(report).toMatchObject({ status: 'completed', stopReason: 'all-cases', casesDone: 24, casesTotal: 24, costMicros: { a: 240, b: 240 } });
    const a = report.analysis!;
    expect(a.kind).toBe('binary');
    expect(a.meanA).toBeCloseTo(0.5);
    expect(a.meanB).toBeCloseTo(23 / 24);
    expect(a.primary!.test).toBe('mcnemar');
    expect(a.significant).toBe(true);
    expect(a.ci.low).toBeGreaterThan(0);
    expect(a.effect).toMatchObject({ name: "Cohen's h", magnitude: 'large' });
    expect(report.explanation).toMatch(/^polite is better by 45\.8 points \(95% CI [\d.]+ to [\d.]+\), p < 0\.001 \(mcnemar\), that is a large effect/);
    // both arms are stored runs of the test
    const runs = store.listRuns();
    expect(runs.map((r) => r.abId)).toEqual([report.id, report.id]);
    expect(store.getRun(report.runB).summary.passed).toBe(23);
    expect(store.getAb(report.id)).toEqual(report);
  });

  it('is reproducible with a seed: same seed, same report; the seed fixes the case order', async () => {
    store.importDataset('d', cases(12));
    const first = await ab({ seed: 42, maxCases: 8 });
    const second = await ab({ seed: 42, maxCases: 8 });
    expect(stable(second.report)).toEqual(stable(first.report));
    expect(second.calls).toEqual(first.calls);
    const other = await ab({ seed: 43, maxCases: 8 });
    expect(other.calls).not.toEqual(first.calls);
    expect(new Set(first.calls.map((c) => c.slice(3))).size).toBe(8);
  });

  it('exposes flaky cases when repeats disagree', async () => {
    store.importDataset('d', cases(6));
    // B fails c3 on odd repeats only (the repeat index is the generation seed)
    const flaky: FakeAnswer = (prompt, seed) => (prompt === 'B: item 3' && seed === 1 ? 'no' : answer(prompt, seed, { maxTokens: 1, temperature: 0 }));
    const { report } = await ab({ repeats: 2, scoreBy: 'pass' }, flaky);
    expect(report.analysis!.kind).toBe('numeric'); // pass rates over repeats
    expect(report.analysis!.flaky).toEqual([{ caseId: 'c3', side: 'b', values: [true, false] }]);
    expect(report.explanation).toMatch(/1 case result\(s\) changed between repeats \(flaky\)/);
  });

  it('stops early when significant at an interim look, and when the budget runs out', async () => {
    store.importDataset('d', cases(40));
    const always: FakeAnswer = (p) => (p.startsWith('A:') ? 'no' : `ok ${/item (\d+)/.exec(p)![1]}`);
    const early = await ab({ earlyStop: true }, always);
    // exact McNemar with n discordant pairs: p = 2·0.5^n, first below 0.001 at n = 11
    expect(early.report).toMatchObject({ stopReason: 'significant', casesDone: 11, status: 'completed' });
    expect(early.report.analysis!.primary!.p).toBeLessThan(AB_INTERIM_ALPHA);
    const budget = await ab({ budgetMicros: 45 }, always);
    expect(budget.report).toMatchObject({ stopReason: 'budget', casesDone: 3, costMicros: { a: 30, b: 30 } });
  });

  it('cancels with a typed error and saves the partial report', async () => {
    store.importDataset('d', cases(10));
    const controller = new AbortController();
    const model = fakeEvalModel(answer, { onCall: (n) => n === 5 && controller.abort() });
    const runner = new EvalRunner(store, model);
    const plan = planAB(store, runner, config());
    await expect(runAB(plan, { store, runner, signal: controller.signal })).rejects.toBeInstanceOf(EvalCancelledError);
    const saved = store.getAb(plan.abId);
    expect(saved).toMatchObject({ status: 'cancelled', stopReason: 'cancelled', casesDone: 2 });
    expect(store.getRun(plan.runA).status).toBe('cancelled');
  });

  it('explains a non-significant result and an A win with the interval flipped', () => {
    const base = { kind: 'binary' as const, n: 10, tests: [], skipped: [], flaky: [], summary: '', effect: { name: "Cohen's h", value: -0.3, magnitude: 'small' as const } };
    const text = explainAB({ ...base, meanA: 0.6, meanB: 0.5, difference: -0.1, ci: { low: -0.3, high: 0.1, confidence: 0.95 }, primary: { test: 'mcnemar', p: 0.62 }, significant: false }, { a: 'A', b: 'B' });
    expect(text).toBe('A is better by 10 points (95% CI -10 to 30), p = 0.620 (mcnemar), that is a small effect (Cohen\'s h = -0.30). That is not statistically significant — it could be chance; more cases would tell (pass rate 60% for A vs 50% for B over 10 cases).');
    expect(explainAB(null, { a: 'A', b: 'B' })).toMatch(/No case has finished/);
    const same = explainAB({ ...base, effect: null, meanA: 0, meanB: 0, difference: 0, ci: { low: 0, high: 0, confidence: 0.95 }, primary: null, significant: false, skipped: [{ test: 'mcnemar', reason: 'no discordant pairs' }] }, { a: 'A', b: 'B' });
    expect(same).toMatch(/^A and B scored exactly the same on every case \(pass rate 0% for A vs 0% for B over 10 cases\), so there is no difference to test/);
  });
});
