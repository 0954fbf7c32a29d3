import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { EvalDatasetSummary, EvalProgressEvent, EvalRun, EvalRunDetail } from '../../../../shared/schemas/eval.js';
import { AppError } from '../../../../shared/errors.js';
import { DatasetSelect } from './DatasetSelect.js';
import { api } from '../../api.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { FailuresTable } from './FailuresTable.js';
import { RunStats } from './RunStats.js';
import { formatMicros, formatMs, formatPercent } from './evalFormat.js';
import { toVariant, VariantFields, type VariantDraft } from './VariantFields.js';

export function StatusBadge({ status }: { status: EvalRun['status'] }): ReactNode {
  return <span className={`badge status-${status}`}>{status}</span>;
}

export function ProgressBar({ event, label, onCancel }: { event: EvalProgressEvent | undefined; label: string; onCancel?: () => void }): ReactNode {
  const done = event?.done ?? 0;
  const total = event?.total ?? 0;
  return (
    <div className="eval-progress" data-testid="eval-progress">
      <progress max={Math.max(1, total)} value={done} aria-label={label} />
      <span className="small mono" aria-live="polite">
        {done}/{total}
      </span>
      {onCancel && (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}

/** Start a run of one variant, watch its progress, and read its accuracy, latency, cost and failures. */
export function RunsPanel({ datasets, progress, modelLoaded }: { datasets: EvalDatasetSummary[]; progress: Record<string, EvalProgressEvent>; modelLoaded: boolean }): ReactNode {
  const [dataset, setDataset] = useState('');
  const [draft, setDraft] = useState<VariantDraft>({ name: 'baseline', promptTemplate: 'Answer in one word. {{input}}', temperature: 0, maxTokens: 16, metric: 'normalized-match' });
  const [schemaText, setSchemaText] = useState('');
  const [runs, setRuns] = useState<EvalRun[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [detail, setDetail] = useState<EvalRunDetail | null>(null);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(() => {
    api['eval.runs.list']({ limit: 50 }).then(setRuns, setError);
  }, []);
  useEffect(reload, [reload]);
  useEffect(() => {
    if (dataset === '' && datasets[0]) setDataset(datasets[0].name);
  }, [datasets, dataset]);

  const live = selected === null ? undefined : progress[selected];
  useEffect(() => {
    if (selected === null) return;
    let alive = true;
    api['eval.runs.get']({ runId: selected }).then(
      (d) => alive && setDetail(d),
      (e: unknown) => alive && setError(e),
    );
    return () => {
      alive = false;
    };
  }, [selected, live?.done, live?.status]);
  useEffect(() => {
    if (live !== undefined && live.status !== 'running') reload();
  }, [live?.status, live, reload]);

  const start = async () => {
    setError(null);
    try {
      let jsonSchema: Record<string, unknown> | undefined;
      if (schemaText.trim() !== '') {
        try {
          jsonSchema = JSON.parse(schemaText) as Record<string, unknown>;
        } catch (e) {
          throw new AppError('SCHEMA_INVALID', `The JSON schema is not valid JSON: ${(e as Error).message}`);
        }
      }
      const { runId } = await api['eval.runs.start']({ dataset, variant: { ...toVariant(draft), ...(jsonSchema === undefined ? {} : { jsonSchema }) } });
      setSelected(runId);
      reload();
    } catch (e) {
      setError(e);
    }
  };
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      reload();
    } catch (e) {
      setError(e);
    }
  };

  const running = detail !== null && (live?.status ?? detail.status) === 'running';
  const status = live?.status ?? detail?.status;
  return (
    <>
      <div className="card">
        <h2>New run</h2>
        {datasets.length === 0 ? (
          <div className="empty">
            <p>Import a dataset first (Datasets tab): a run scores one prompt against every case of it.</p>
          </div>
        ) : (
          <>
            <div className="form-row" style={{ marginTop: 0, marginBottom: 12 }}>
              <DatasetSelect datasets={datasets} value={dataset} onChange={setDataset} />
            </div>
            <VariantFields label="" value={draft} onChange={setDraft} />
            <p id="template-help" className="muted small">
              <code>{'{{input}}'}</code> is the case input; for object inputs each key is a variable (<code>{'{{question}}'}</code>).
            </p>
            <details open={schemaText !== ''}>
              <summary className="small">Extraction: JSON schema (optional)</summary>
              <label>
                JSON schema
                <textarea className="code" rows={5} spellCheck={false} value={schemaText} onChange={(e) => setSchemaText(e.target.value)} placeholder='{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}' />
              </label>
              <p className="muted small">With a schema, each case runs through grammar-constrained extraction; score it with “Valid against the JSON schema” or “Field-level F1”.</p>
            </details>
            <div className="form-row">
              <button type="button" className="primary" disabled={!modelLoaded || dataset === ''} onClick={() => void start()}>
                Start run
              </button>
              {!modelLoaded && <span className="muted small">Load a model on the Models screen to run.</span>}
            </div>
          </>
        )}
        {error !== null && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      </div>

      {detail !== null && (
        <div className="card" data-testid="run-detail" aria-live="polite">
          <h2>
            {detail.variant.name} on {detail.datasetName} v{detail.datasetVersion} <StatusBadge status={status ?? detail.status} />
          </h2>
          <p className="muted small">
            {detail.variant.model ?? 'model'} · temperature {detail.variant.temperature} · {detail.variant.metrics.join(', ')} · <span className="mono">{detail.id.slice(0, 8)}</span>
          </p>
          {running && <ProgressBar event={live} label="Run progress" onCancel={() => void act(() => api['eval.runs.cancel']({ runId: detail.id }))} />}
          {(status === 'cancelled' || status === 'interrupted' || status === 'failed') && detail.abId === null && (
            <div className="form-row" style={{ marginBottom: 12 }}>
              <button type="button" onClick={() => void act(() => api['eval.runs.resume']({ runId: detail.id }))} disabled={!modelLoaded}>
                Resume ({detail.summary.total - detail.summary.completed} cases left)
              </button>
              {detail.error && <span className="muted small">{detail.error.message}</span>}
            </div>
          )}
          <RunStats summary={detail.summary} />
          <h2 style={{ marginTop: 16 }}>Failures</h2>
          <FailuresTable failures={detail.failures} caption={`Failed cases of ${detail.variant.name}`} />
        </div>
      )}

      <div className="card">
        <h2>Runs</h2>
        {runs.length === 0 ? (
          <div className="empty">
            <p>No runs yet. Pick a dataset, write a prompt and press Start run: every case is answered by your local model and scored, and each call is recorded in the cost ledger.</p>
          </div>
        ) : (
          <div className="eval-table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Variant</th>
                  <th scope="col">Dataset</th>
                  <th scope="col">Status</th>
                  <th scope="col">Accuracy</th>
                  <th scope="col">p50</th>
                  <th scope="col">Cost / case</th>
                  <th scope="col">Started</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id} className={selected === r.id ? 'selected' : ''}>
                    <td>
                      <button type="button" className="ghost" aria-pressed={selected === r.id} onClick={() => setSelected(r.id)}>
                        {r.variant.name}
                      </button>
                      {r.abId !== null && <span className="muted small"> (A/B)</span>}
                    </td>
                    <td>
                      {r.datasetName} v{r.datasetVersion}
                    </td>
                    <td>
                      <StatusBadge status={progress[r.id]?.status ?? r.status} />
                    </td>
                    <td>
                      {formatPercent(r.summary.accuracy)} <span className="muted small">({r.summary.completed}/{r.summary.total})</span>
                    </td>
                    <td>{formatMs(r.summary.latencyMs.p50)}</td>
                    <td>{formatMicros(r.summary.costPerCaseMicros)}</td>
                    <td className="small muted">{new Date(r.createdAt).toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  );
}
