import type { EvalRunSummary } from '../../../../shared/schemas/eval.js';

/** The per-case facts a summary needs. */
export type SummaryRow = {
  pass: boolean;
  score: number;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  costMicros: number | null;
  errored: boolean;
};

/** Linear-interpolated quantile of sorted values (numpy's default 'linear' method); 0 for no values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Accuracy, latency percentiles and cost of a run's stored results. Errored cases count as failures (and in
 * latency: what the user waited). Unpriced calls add 0 to the cost. `total` is cases × repeats planned.
 */
export function summarizeResults(rows: readonly SummaryRow[], total: number): EvalRunSummary {
  const n = rows.length;
  const passed = rows.filter((r) => r.pass).length;
  const latencies = rows.map((r) => r.latencyMs).sort((a, b) => a - b);
  const totalCostMicros = rows.reduce((s, r) => s + (r.costMicros ?? 0), 0);
  return {
    completed: n,
    total,
    passed,
    errors: rows.filter((r) => r.errored).length,
    accuracy: n === 0 ? 0 : passed / n,
    meanScore: n === 0 ? 0 : rows.reduce((s, r) => s + r.score, 0) / n,
    latencyMs: { mean: n === 0 ? 0 : latencies.reduce((s, x) => s + x, 0) / n, p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95) },
    promptTokens: rows.reduce((s, r) => s + r.promptTokens, 0),
    completionTokens: rows.reduce((s, r) => s + r.completionTokens, 0),
    totalCostMicros,
    costPerCaseMicros: n === 0 ? 0 : totalCostMicros / n,
    costPerCorrectMicros: passed === 0 ? null : totalCostMicros / passed,
  };
}
