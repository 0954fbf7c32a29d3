import type { ReactNode } from 'react';
import type { EvalRunSummary } from '../../../../shared/schemas/eval.js';
import { formatMicros, formatMs, formatPercent } from './evalFormat.js';

function Stat({ label, value, note }: { label: string; value: string; note?: string }): ReactNode {
  return (
    <div className="eval-stat" role="group" aria-label={label}>
      <div className="eval-stat-label">{label}</div>
      <div className="eval-stat-value">{value}</div>
      {note !== undefined && <div className="eval-stat-note">{note}</div>}
    </div>
  );
}

/** Accuracy, latency and cost cards of one run. */
export function RunStats({ summary }: { summary: EvalRunSummary }): ReactNode {
  return (
    <div className="eval-stats" data-testid="run-stats">
      <Stat label="Accuracy" value={formatPercent(summary.accuracy)} note={`${summary.passed} of ${summary.completed} passed${summary.errors ? `, ${summary.errors} errors` : ''}`} />
      <Stat label="Latency p50" value={formatMs(summary.latencyMs.p50)} note={`p95 ${formatMs(summary.latencyMs.p95)} · mean ${formatMs(summary.latencyMs.mean)}`} />
      <Stat label="Cost per case" value={formatMicros(summary.costPerCaseMicros)} note={`total ${formatMicros(summary.totalCostMicros)}`} />
      <Stat label="Cost per correct answer" value={formatMicros(summary.costPerCorrectMicros)} note={summary.costPerCorrectMicros === null ? 'nothing passed yet' : `${summary.completionTokens} tokens generated`} />
    </div>
  );
}
