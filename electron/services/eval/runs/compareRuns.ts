import type { AbAnalysis } from '../../../../shared/schemas/eval.js';
import { AppError } from '../../../../shared/errors.js';
import { analyzeAB } from '../ab/analyzeAB.js';
import type { EvalStore } from '../store/index.js';
import { explainAB, toAbAnalysis } from './explainAB.js';

export type RunComparison = { runA: string; runB: string; labels: { a: string; b: string }; pairedCases: number; analysis: AbAnalysis; explanation: string };

/**
 * Compares two stored runs after the fact: pairs their results by case id (repeats averaged into a pass rate per
 * case), keeps only cases both runs finished, and analyses them like an A/B test (`analyzeAB`, seeded). Runs on
 * different dataset versions can be compared; only the shared case ids count, and the caller sees how many.
 * @throws AppError INVALID_INPUT when the runs share no finished case.
 */
export function compareRuns(store: EvalStore, runA: string, runB: string, options: { seed?: number; scoreBy?: 'pass' | 'score' } = {}): RunComparison {
  const a = store.getRun(runA);
  const b = store.getRun(runB);
  const scoreBy = options.scoreBy ?? 'pass';
  const byCase = (runId: string) => {
    const m = new Map<string, (boolean | number)[]>();
    for (const r of store.results(runId)) {
      const list = m.get(r.caseId) ?? [];
      list.push(scoreBy === 'pass' ? r.pass : r.score);
      m.set(r.caseId, list);
    }
    return m;
  };
  const ra = byCase(runA);
  const rb = byCase(runB);
  const ids = [...ra.keys()].filter((id) => rb.has(id));
  if (ids.length === 0) throw new AppError('INVALID_INPUT', `Runs ${runA} and ${runB} have no finished case in common.`, { details: { runA, runB } });
  const side = (m: Map<string, (boolean | number)[]>) => ids.map((id) => { const v = m.get(id)!; return v.length === 1 ? v[0]! : v; });
  let labels = { a: a.variant.name, b: b.variant.name };
  if (labels.a === labels.b) labels = { a: `${labels.a} (A)`, b: `${labels.b} (B)` };
  const analysis = toAbAnalysis(analyzeAB({ a: side(ra) as boolean[], b: side(rb) as boolean[], paired: true, seed: options.seed ?? 0, labels, caseIds: ids }));
  return { runA, runB, labels, pairedCases: ids.length, analysis, explanation: explainAB(analysis, labels) };
}
