import type { ReactNode } from 'react';
import type { EvalCaseResult } from '../../../../shared/schemas/eval.js';
import { asText, formatMs } from './evalFormat.js';

/** Failed cases: what went in, what was expected, what came back (or the error). */
export function FailuresTable({ failures, caption }: { failures: EvalCaseResult[]; caption: string }): ReactNode {
  if (failures.length === 0) return <p className="muted small">No failures: every case passed.</p>;
  return (
    <div className="eval-table-wrap" data-testid="failures-table">
      <table className="table small">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Case</th>
            <th scope="col">Input</th>
            <th scope="col">Expected</th>
            <th scope="col">Got</th>
            <th scope="col">Why</th>
            <th scope="col">Latency</th>
          </tr>
        </thead>
        <tbody>
          {failures.map((f) => (
            <tr key={`${f.caseId}-${f.repeat}`}>
              <td className="mono">
                {f.caseId}
                {f.repeat > 0 ? ` #${f.repeat + 1}` : ''}
              </td>
              <td className="eval-cell-text">{asText(f.input)}</td>
              <td className="eval-cell-text">{asText(f.expected)}</td>
              <td className="eval-cell-text mono">{f.error ? <span className="bad">{f.error.code}</span> : f.got === '' ? <span className="muted">(empty)</span> : f.got}</td>
              <td className="eval-cell-text muted">{f.error ? f.error.message : f.metrics.filter((m) => !m.pass).map((m) => m.reason ?? `${m.metric} ${m.score.toFixed(2)}`).join('; ')}</td>
              <td>{formatMs(f.latencyMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
