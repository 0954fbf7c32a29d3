import { useState, type ReactNode } from 'react';
import { fieldChecks, toCsv } from './resultExport.js';

const MARK = { ok: '✓', absent: '–', missing: '✕', invalid: '✕' } as const;

/** Offer a file to the user: a Blob URL clicked through a temporary link (works in Electron and the browser). */
function save(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Per-field validation marks for an extraction result, and its export as JSON or CSV. */
export function ResultExtras({ value, schema }: { value: unknown; schema: unknown }): ReactNode {
  const checks = fieldChecks(schema, value);
  const [copied, setCopied] = useState(false);
  const order = checks.map((c) => c.field);
  return (
    <div className="result-extras">
      {checks.length > 0 && (
        <table className="table field-checks" data-testid="field-checks">
          <caption className="sr-only">Per-field validation</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Check</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {checks.map((c) => (
              <tr key={c.field} className={`check-${c.state}`}>
                <td className="mono">{c.field}</td>
                <td className={c.state === 'ok' ? 'good' : c.state === 'absent' ? 'muted' : 'bad'} aria-label={c.state}>
                  {MARK[c.state]}
                </td>
                <td className="small muted">{c.note}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="form-row">
        <button type="button" onClick={() => save('extraction.json', 'application/json', JSON.stringify(value, null, 2) + '\n')}>
          Export JSON
        </button>
        <button type="button" onClick={() => save('extraction.csv', 'text/csv', toCsv(value, order))}>
          Export CSV
        </button>
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard?.writeText(JSON.stringify(value, null, 2)).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? '✓ Copied' : 'Copy JSON'}
        </button>
      </div>
    </div>
  );
}
