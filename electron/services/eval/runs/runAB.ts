import { randomUUID } from 'node:crypto';
import type { AbReport, AbStartInput, EvalCase, EvalRunStatus } from '../../../../shared/schemas/eval.js';
import { isAppError } from '../../../../shared/errors.js';
import { analyzeAB } from '../ab/analyzeAB.js';
import { createRng } from '../stats/index.js';
import type { EvalStore } from '../store/index.js';
import { EvalCancelledError } from './EvalCancelledError.js';
import type { EvalProgress, EvalRunner } from './EvalRunner.js';
import { explainAB, toAbAnalysis } from './explainAB.js';

/** The rows an A/B test writes before it runs: its id, one run per arm, and the seeded case order. */
export type AbPlan = { abId: string; runA: string; runB: string; config: AbStartInput; cases: EvalCase[]; datasetName: string; datasetVersion: number; createdAt: string };

/** Interim looks happen only from this many paired cases on (a p-value on 3 cases means nothing). */
export const AB_MIN_INTERIM_CASES = 10;
/** Haybittle–Peto interim threshold: peeking at p < 0.001 barely inflates the final type I error (unlike p < 0.05 at every look). */
export const AB_INTERIM_ALPHA = 0.001;

/** Seeded Fisher–Yates: the same seed gives the same order on every machine. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const rng = createRng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Creates the A/B rows (ab test + one run per arm) and fixes the seeded case order; `runAB` executes it. */
export function planAB(store: EvalStore, runner: EvalRunner, config: AbStartInput): AbPlan {
  const { dataset, cases } = store.getDataset(config.dataset, config.datasetVersion);
  const ordered = shuffle(cases, config.seed).slice(0, config.maxCases ?? cases.length);
  const total = ordered.length * config.repeats;
  const variant = (v: AbStartInput['a']) => ({ ...v, model: v.model ?? runner.modelName });
  const a = variant(config.a);
  const b = variant(config.b);
  const abId = randomUUID();
  const runA = store.createRun({ datasetName: dataset.name, datasetVersion: dataset.version, variant: a, repeats: config.repeats, total, abId });
  const runB = store.createRun({ datasetName: dataset.name, datasetVersion: dataset.version, variant: b, repeats: config.repeats, total, abId });
  const planned: AbStartInput = { ...config, a, b };
  store.createAb(planned, runA, runB, ordered.length, abId);
  const plan: AbPlan = { abId, runA, runB, config: planned, cases: ordered, datasetName: dataset.name, datasetVersion: dataset.version, createdAt: new Date().toISOString() };
  store.saveAbReport(buildReport(plan, 'running', null, [], [], { a: 0, b: 0 }, null));
  return plan;
}

type Side = (boolean | number | (boolean | number)[])[];

function buildReport(plan: AbPlan, status: EvalRunStatus, stopReason: AbReport['stopReason'], a: Side, b: Side, cost: { a: number; b: number }, resamples: number | null): AbReport {
  const { config } = plan;
  const analysis =
    resamples === null || a.length === 0
      ? null
      : toAbAnalysis(
          analyzeAB({
            a: a as boolean[] | number[],
            b: b as boolean[] | number[],
            paired: true,
            seed: config.seed,
            resamples,
            labels: { a: config.a.name, b: config.b.name },
            caseIds: plan.cases.slice(0, a.length).map((c) => c.id),
          }),
        );
  return {
    id: plan.abId,
    datasetName: plan.datasetName,
    datasetVersion: plan.datasetVersion,
    status,
    runA: plan.runA,
    runB: plan.runB,
    a: config.a,
    b: config.b,
    repeats: config.repeats,
    seed: config.seed,
    casesDone: a.length,
    casesTotal: plan.cases.length,
    stopReason,
    costMicros: cost,
    analysis,
    explanation: explainAB(analysis, { a: config.a.name, b: config.b.name }),
    createdAt: plan.createdAt,
    finishedAt: status === 'running' ? null : new Date().toISOString(),
  };
}

/**
 * Runs a planned A/B test: every case on both arms (paired), `repeats` times each, in the seeded order, then the
 * existing `analyzeAB` (McNemar for pass/fail, paired t + Wilcoxon for scores or repeat pass-rates, BCa bootstrap
 * CI, effect sizes, flaky cases). Reproducible: the seed fixes the case order, the generation seed of repeat r
 * (`r`, unless the variant sets one) and the bootstrap, so a deterministic model gives the same report twice.
 *
 * Stops early, keeping every pair complete, when `budgetMicros` is spent (both arms together, ledger cost) or —
 * with `earlyStop` — when an interim look from `AB_MIN_INTERIM_CASES` on has the primary test below
 * `AB_INTERIM_ALPHA`. Arm A runs before arm B on every case: a warm cache favours neither since prompts differ.
 * The report is saved after every case, so `eval.ab.get` shows it growing.
 */
export async function runAB(
  plan: AbPlan,
  deps: { store: EvalStore; runner: EvalRunner; signal?: AbortSignal; onProgress?: (p: EvalProgress & { abId: string }) => void },
): Promise<AbReport> {
  const { store, runner, signal } = deps;
  const { config } = plan;
  const a: Side = [];
  const b: Side = [];
  const cost = { a: 0, b: 0 };
  const passed = { a: 0, b: 0 };
  const total = plan.cases.length * config.repeats;
  const value = (r: { pass: boolean; score: number }) => (config.scoreBy === 'pass' ? r.pass : r.score);
  let stopReason: AbReport['stopReason'] = 'all-cases';
  const finish = (status: EvalRunStatus, error: { code: string; message: string } | null, resamples: number | null): AbReport => {
    for (const id of [plan.runA, plan.runB]) store.setRunStatus(id, status, error);
    const report = buildReport(plan, status, stopReason, a, b, cost, resamples);
    store.saveAbReport(report);
    return report;
  };
  try {
    for (const testCase of plan.cases) {
      const repsA: (boolean | number)[] = [];
      const repsB: (boolean | number)[] = [];
      for (let repeat = 0; repeat < config.repeats; repeat++) {
        for (const side of ['a', 'b'] as const) {
          if (signal?.aborted) throw new EvalCancelledError(plan.abId, a.length);
          const runId = side === 'a' ? plan.runA : plan.runB;
          const r = await runner.runCase({ runId, variant: config[side], testCase, repeat, seed: repeat, ...(signal ? { signal } : {}) });
          cost[side] += r.costMicros ?? 0;
          if (r.pass) passed[side]++;
          (side === 'a' ? repsA : repsB).push(value(r));
          deps.onProgress?.({ runId, abId: plan.abId, done: a.length * config.repeats + (side === 'a' ? repsA : repsB).length, total, passed: passed[side] });
        }
      }
      a.push(config.repeats === 1 ? repsA[0]! : repsA);
      b.push(config.repeats === 1 ? repsB[0]! : repsB);
      if (config.budgetMicros !== undefined && cost.a + cost.b >= config.budgetMicros) {
        stopReason = 'budget';
        break;
      }
      if (config.earlyStop && a.length >= AB_MIN_INTERIM_CASES && a.length < plan.cases.length) {
        const interim = buildReport(plan, 'running', null, a, b, cost, 999);
        if (interim.analysis?.primary && interim.analysis.primary.p < AB_INTERIM_ALPHA) {
          stopReason = 'significant';
          break;
        }
      }
      store.saveAbReport(buildReport(plan, 'running', null, a, b, cost, 1999));
    }
  } catch (error) {
    const cancelled = error instanceof EvalCancelledError;
    stopReason = cancelled ? 'cancelled' : 'error';
    finish(cancelled ? 'cancelled' : 'failed', isAppError(error) ? { code: error.code, message: error.message } : { code: 'INTERNAL', message: String(error) }, 9999);
    throw error;
  }
  return finish('completed', null, 9999);
}
