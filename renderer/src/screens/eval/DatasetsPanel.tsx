import { useEffect, useState, type ReactNode } from 'react';
import type { EvalCase, EvalDatasetSummary } from '../../../../shared/schemas/eval.js';
import { api } from '../../api.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { asText } from './evalFormat.js';
import { SAMPLE_DATASET, SAMPLE_DATASET_NAME } from './sampleDataset.js';

type ImportOutcome = { dataset: EvalDatasetSummary; errors: { line: number; message: string }[]; created: boolean };

/** Import JSONL datasets (file or pasted text) and browse their cases. */
export function DatasetsPanel({ datasets, onChanged }: { datasets: EvalDatasetSummary[]; onChanged: () => void }): ReactNode {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'qa' | 'extraction'>('qa');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [cases, setCases] = useState<EvalCase[]>([]);

  useEffect(() => {
    if (selected === null) return;
    let live = true;
    api['eval.datasets.get']({ name: selected, limit: 200 }).then(
      (d) => live && setCases(d.cases),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [selected, datasets]);

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setText(await file.text());
    if (name === '') setName(file.name.replace(/\.(jsonl|ndjson|json|txt)$/i, '').replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 100));
  };

  const doImport = async () => {
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      const r = await api['eval.datasets.import']({ name: name.trim(), jsonl: text, kind });
      setOutcome(r);
      setSelected(r.dataset.name);
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="grid two">
      <div className="card">
        <h2>Import a dataset</h2>
        <p className="muted small">
          JSONL: one case per line, <code>{'{"id": "q1", "input": "…", "expected": "…"}'}</code>. Malformed lines are skipped and listed by line number.
          Re-importing identical content keeps the same version.
        </p>
        <label>
          JSONL file
          <input type="file" accept=".jsonl,.ndjson,.json,.txt,application/json" onChange={(e) => void onFile(e.target.files?.[0])} />
        </label>
        <label>
          Cases (JSONL)
          <textarea className="code" rows={7} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} placeholder={SAMPLE_DATASET.split('\n').slice(0, 2).join('\n')} />
        </label>
        <div className="form-row">
          <label className="grow">
            Dataset name
            <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. support-faq" />
          </label>
          <label>
            Kind
            <select value={kind} onChange={(e) => setKind(e.target.value as 'qa' | 'extraction')}>
              <option value="qa">Q&amp;A</option>
              <option value="extraction">Extraction (JSON)</option>
            </select>
          </label>
          <button type="button" className="primary" disabled={busy || name.trim() === '' || text.trim() === ''} onClick={() => void doImport()}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </div>
        {error !== null && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
        {outcome !== null && (
          <div className={outcome.errors.length ? 'notice error' : 'notice info'} role="status" data-testid="import-outcome">
            <strong>
              {outcome.created ? 'Imported' : 'Unchanged'} {outcome.dataset.name} v{outcome.dataset.version}: {outcome.dataset.caseCount} case{outcome.dataset.caseCount === 1 ? '' : 's'}
              {outcome.errors.length > 0 && `, ${outcome.errors.length} line${outcome.errors.length === 1 ? '' : 's'} skipped`}
            </strong>
            {outcome.errors.length > 0 && (
              <ul className="eval-line-errors">
                {outcome.errors.slice(0, 8).map((e) => (
                  <li key={e.line}>
                    line {e.line}: {e.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
      <div className="card">
        <h2>Datasets</h2>
        {datasets.length === 0 ? (
          <div className="empty">
            <p>No datasets yet. A dataset is a list of inputs with the answers you expect; runs and A/B tests score a prompt against it.</p>
            <pre className="code result eval-sample">{SAMPLE_DATASET.split('\n').slice(0, 2).join('\n')}</pre>
            <button
              type="button"
              onClick={() => {
                setText(SAMPLE_DATASET);
                setName(SAMPLE_DATASET_NAME);
                setKind('qa');
              }}
            >
              Fill in a 5-case sample
            </button>
          </div>
        ) : (
          <div className="eval-table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Version</th>
                  <th scope="col">Cases</th>
                  <th scope="col">Kind</th>
                </tr>
              </thead>
              <tbody>
                {datasets.map((d) => (
                  <tr key={d.name} className={selected === d.name ? 'selected' : ''}>
                    <td>
                      <button type="button" className="ghost" aria-pressed={selected === d.name} onClick={() => setSelected(d.name)}>
                        {d.name}
                      </button>
                    </td>
                    <td className="mono" title={d.hash}>
                      v{d.version}
                    </td>
                    <td>{d.caseCount}</td>
                    <td>{d.kind}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {selected !== null && (
          <>
            <h2 style={{ marginTop: 16 }}>Cases of {selected}</h2>
            <div className="eval-table-wrap" data-testid="dataset-cases">
              <table className="table small">
                <thead>
                  <tr>
                    <th scope="col">Id</th>
                    <th scope="col">Input</th>
                    <th scope="col">Expected</th>
                  </tr>
                </thead>
                <tbody>
                  {cases.map((c) => (
                    <tr key={c.id}>
                      <td className="mono">{c.id}</td>
                      <td className="eval-cell-text">{asText(c.input)}</td>
                      <td className="eval-cell-text">{asText(c.expected)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </div>
    </div>
  );
}
