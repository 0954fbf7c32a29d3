import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { AbReport, EvalDatasetSummary, EvalMetricName, EvalProgressEvent, EvalRunDetail } from '../../../../shared/schemas/eval.js';
import { DatasetSelect } from './DatasetSelect.js';
import { api } from '../../api.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { AbDifferenceChart } from './AbDifferenceChart.js';
import { FailuresTable } from './FailuresTable.js';
import { ProgressBar, StatusBadge } from './RunsPanel.js';
import { formatMicros, formatP, formatPercent } from './evalFormat.js';
import { METRIC_LABELS, toVariant, VariantFields, type VariantDraft } from './VariantFields.js';

const TEST_NAMES: Record<string, string> = {
  mcnemar: 'McNemar (paired pass/fail)',
  'paired-t': 'Paired t-test',
  wilcoxon: 'Wilcoxon signed-rank',
  welch: "Welch's t-test",
};

/** Paired A/B test of two prompts: form, live progress, and the report in plain words with a CI chart. */
export function AbPanel({ datasets, progress, modelLoaded }: { datasets: EvalDatasetSummary[]; progress: Record<string, EvalProgressEvent>; modelLoaded: boolean }): ReactNode {
  const [dataset, setDataset] = useState('');
  const [metric, setMetric] = useState<EvalMetricName>('normalized-match');
  const [a, setA] = useState<VariantDraft>({ name: 'A', promptTemplate: '{{input}}', temperature: 0, maxTokens: 16, metric: 'normalized-match' });
  const [b, setB] = useState<VariantDraft>({ name: 'B', promptTemplate: 'Answer with one word only. {{input}}', temperature: 0, maxTokens: 16, metric: 'normalized-match' });
  const [repeats, setRepeats] = useState(1);
  const [seed, setSeed] = useState(0);
  const [earlyStop, setEarlyStop] = useState(false);
  const [budgetUsd, setBudgetUsd] = useState('');
  const [reports, setReports] = useState<AbReport[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [report, setReport] = useState<AbReport | null>(null);
  const [failures, setFailures] = useState<{ a: EvalRunDetail; b: EvalRunDetail } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reportRef = useRef<HTMLDivElement>(null);

  const reload = useCallback(() => {
    api['eval.ab.list']({}).then(setReports, setError);
  }, []);
  useEffect(reload, [reload]);
  useEffect(() => {
    if (dataset === '' && datasets[0]) setDataset(datasets[0].name);
  }, [datasets, dataset]);

  const liveEvents = Object.values(progress).filter((e) => e.abId !== null && e.abId === selected);
  const liveDone = liveEvents.reduce((s, e) => s + e.done, 0);
  const liveFinished = liveEvents.length === 2 && liveEvents.every((e) => e.status !== 'running');
  useEffect(() => {
    if (selected === null) return;
    let alive = true;
    api['eval.ab.get']({ abId: selected }).then(
      (r) => {
        if (!alive) return;
        setReport(r);
        if (r.status !== 'running') {
          Promise.all([api['eval.runs.get']({ runId: r.runA }), api['eval.runs.get']({ runId: r.runB })]).then(([ra, rb]) => alive && setFailures({ a: ra, b: rb }), setError);
        }
      },
      (e: unknown) => alive && setError(e),
    );
    return () => {
      alive = false;
    };
  }, [selected, liveDone, liveFinished]);
  useEffect(() => {
    if (liveFinished) reload();
  }, [liveFinished, reload]);
  // a newly opened report comes into view (the form above it can be taller than the window)
  const reportId = report?.id;
  useEffect(() => {
    if (reportId !== undefined) reportRef.current?.scrollIntoView({ block: 'start' });
  }, [reportId]);

  const start = async () => {
    setError(null);
    setFailures(null);
    try {
      const r = await api['eval.ab.start']({ dataset, a: toVariant({ ...a, metric }), b: toVariant({ ...b, metric }), repeats, seed, earlyStop, ...(Number(budgetUsd) > 0 ? { budgetMicros: Math.max(1, Math.round(Number(budgetUsd) * 1e6)) } : {}), scoreBy: metric === 'token-f1' || metric === 'field-f1' ? 'score' : 'pass' });
      setReport(null);
      setSelected(r.abId);
      reload();
    } catch (e) {
      setError(e);
    }
  };

  const status = report === null ? undefined : liveFinished ? liveEvents[0]!.status : report.status;
  const total = report === null ? 0 : report.casesTotal * report.repeats * 2;
  const an = report?.analysis ?? null;
  return (
    <>
      <div className="card">
        <h2>New A/B test</h2>
        {datasets.length === 0 ? (
          <div className="empty">
            <p>Import a dataset first (Datasets tab). An A/B test runs two prompts on the same cases and tells you whether the difference is real or chance.</p>
          </div>
        ) : (
          <>
            <div className="form-row" style={{ marginTop: 0, marginBottom: 12 }}>
              <DatasetSelect datasets={datasets} value={dataset} onChange={setDataset} />
              <label>
                Metric
                <select value={metric} onChange={(e) => setMetric(e.target.value as EvalMetricName)}>
                  {(Object.keys(METRIC_LABELS) as EvalMetricName[]).map((m) => (
                    <option key={m} value={m}>
                      {METRIC_LABELS[m]}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Repeats per case
                <input type="number" min={1} max={20} value={repeats} onChange={(e) => setRepeats(Math.min(20, Math.max(1, Math.round(Number(e.target.value)))))} />
              </label>
              <label>
                Seed
                <input type="number" min={0} value={seed} onChange={(e) => setSeed(Math.max(0, Math.round(Number(e.target.value))))} />
              </label>
              <label>
                Stop at cost ($, optional)
                <input type="number" min={0} step="0.000001" value={budgetUsd} placeholder="no limit" onChange={(e) => setBudgetUsd(e.target.value)} />
              </label>
              <label className="inline" style={{ marginLeft: 0 }}>
                <input type="checkbox" checked={earlyStop} onChange={(e) => setEarlyStop(e.target.checked)} style={{ width: 'auto' }} />
                Stop early when clearly significant
              </label>
            </div>
            <div className="eval-variants">
              <VariantFields label="A" value={a} onChange={setA} showMetric={false} />
              <VariantFields label="B" value={b} onChange={setB} showMetric={false} />
            </div>
            <p id="template-help" className="muted small">
              <code>{'{{input}}'}</code> is the case input. Same seed, same model and same dataset give the same report. Use repeats with a temperature above 0 to find flaky cases.
            </p>
            <div className="form-row">
              <button type="button" className="primary" disabled={!modelLoaded || dataset === ''} onClick={() => void start()}>
                Start A/B test
              </button>
              {!modelLoaded && <span className="muted small">Load a model on the Models screen to run.</span>}
            </div>
          </>
        )}
        {error !== null && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      </div>

      {report !== null && (
        <div className="card" data-testid="ab-report" aria-live="polite" ref={reportRef}>
          <h2>
            {report.a.name} vs {report.b.name} on {report.datasetName} v{report.datasetVersion} <StatusBadge status={status ?? report.status} />
          </h2>
          {status === 'running' && <ProgressBar event={{ runId: report.runA, abId: report.id, status: 'running', done: liveDone, total, passed: 0 }} label="A/B progress" onCancel={() => void api['eval.runs.cancel']({ runId: report.id }).catch(setError)} />}
          <p className={`eval-explanation ${an?.significant ? 'significant' : 'inconclusive'}`} data-testid="ab-explanation">
            {report.explanation}
          </p>
          {an !== null && (
            <>
              <div className="eval-stats">
                <div className="eval-stat">
                  <div className="eval-stat-label">{report.a.name}</div>
                  <div className="eval-stat-value">{formatPercent(an.meanA)}</div>
                  <div className="eval-stat-note">{an.kind === 'binary' ? 'pass rate' : 'mean score'} · {formatMicros(report.costMicros.a)}</div>
                </div>
                <div className="eval-stat">
                  <div className="eval-stat-label">{report.b.name}</div>
                  <div className="eval-stat-value">{formatPercent(an.meanB)}</div>
                  <div className="eval-stat-note">{an.kind === 'binary' ? 'pass rate' : 'mean score'} · {formatMicros(report.costMicros.b)}</div>
                </div>
                <div className="eval-stat">
                  <div className="eval-stat-label">p-value {an.primary ? `(${an.primary.test})` : ''}</div>
                  <div className="eval-stat-value">{an.primary ? formatP(an.primary.p) : '—'}</div>
                  <div className="eval-stat-note">{an.significant ? 'significant at 0.05' : 'not significant'}</div>
                </div>
                <div className="eval-stat">
                  <div className="eval-stat-label">Effect size</div>
                  <div className="eval-stat-value">{an.effect ? an.effect.magnitude : '—'}</div>
                  <div className="eval-stat-note">{an.effect ? `${an.effect.name} = ${an.effect.value.toFixed(2)}` : 'undefined for this data'}</div>
                </div>
              </div>
              <AbDifferenceChart analysis={an} labels={{ a: report.a.name, b: report.b.name }} />
              <details>
                <summary className="small">All tests, seed and cases</summary>
                <table className="table small">
                  <thead>
                    <tr>
                      <th scope="col">Test</th>
                      <th scope="col">Statistic</th>
                      <th scope="col">p</th>
                    </tr>
                  </thead>
                  <tbody>
                    {an.tests.map((t) => (
                      <tr key={t.test}>
                        <td>{TEST_NAMES[t.test] ?? t.test}</td>
                        <td className="mono">{t.statistic.toFixed(3)}</td>
                        <td className="mono">{formatP(t.p)}</td>
                      </tr>
                    ))}
                    {an.skipped.map((t) => (
                      <tr key={t.test}>
                        <td>{TEST_NAMES[t.test] ?? t.test}</td>
                        <td colSpan={2} className="muted">
                          not defined: {t.reason}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p className="muted small">
                  {report.casesDone} of {report.casesTotal} cases × {report.repeats} repeat{report.repeats === 1 ? '' : 's'} · seed {report.seed}
                  {report.stopReason !== null && report.stopReason !== 'all-cases' ? ` · stopped: ${report.stopReason}` : ''} · {an.summary}
                </p>
                {an.flaky.length > 0 && (
                  <p className="small">
                    Flaky: {an.flaky.map((f) => `${f.caseId} (${f.side.toUpperCase()}: ${f.values.map(String).join(', ')})`).join('; ')}
                  </p>
                )}
              </details>
            </>
          )}
          {failures !== null && (
            <div className="grid two" style={{ marginTop: 12 }}>
              <div>
                <h2>Failures of {report.a.name}</h2>
                <FailuresTable failures={failures.a.failures} caption={`Failures of ${report.a.name}`} />
              </div>
              <div>
                <h2>Failures of {report.b.name}</h2>
                <FailuresTable failures={failures.b.failures} caption={`Failures of ${report.b.name}`} />
              </div>
            </div>
          )}
        </div>
      )}

      <div className="card">
        <h2>A/B tests</h2>
        {reports.length === 0 ? (
          <div className="empty">
            <p>No A/B tests yet. Write two prompts above and start one: Hearth runs both on every case, then reports which is better, by how much, and how sure that is.</p>
          </div>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Comparison</th>
                <th scope="col">Dataset</th>
                <th scope="col">Status</th>
                <th scope="col">Difference</th>
                <th scope="col">p</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr key={r.id} className={selected === r.id ? 'selected' : ''}>
                  <td>
                    <button type="button" className="ghost" aria-pressed={selected === r.id} onClick={() => setSelected(r.id)}>
                      {r.a.name} vs {r.b.name}
                    </button>
                  </td>
                  <td>
                    {r.datasetName} v{r.datasetVersion}
                  </td>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td className="mono">{r.analysis ? `${r.analysis.difference >= 0 ? '+' : ''}${(r.analysis.difference * 100).toFixed(1)} pts` : '—'}</td>
                  <td className="mono">{r.analysis?.primary ? formatP(r.analysis.primary.p) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
