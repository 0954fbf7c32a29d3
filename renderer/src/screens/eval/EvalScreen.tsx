import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { EvalDatasetSummary, EvalProgressEvent } from '../../../../shared/schemas/eval.js';
import { api } from '../../api.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { AbPanel } from './AbPanel.js';
import { DatasetsPanel } from './DatasetsPanel.js';
import { RunsPanel } from './RunsPanel.js';
import './eval.css';

type Tab = 'datasets' | 'runs' | 'ab';
const TABS: { id: Tab; label: string }[] = [
  { id: 'datasets', label: 'Datasets' },
  { id: 'runs', label: 'Runs' },
  { id: 'ab', label: 'A/B tests' },
];

/** The eval workbench: datasets, runs of one prompt, and paired A/B tests of two. */
export function EvalScreen({ onNavigate }: { onNavigate: (screen: string) => void }): ReactNode {
  const [tab, setTab] = useState<Tab>('datasets');
  const [datasets, setDatasets] = useState<EvalDatasetSummary[]>([]);
  const [progress, setProgress] = useState<Record<string, EvalProgressEvent>>({});
  const [modelLoaded, setModelLoaded] = useState<boolean | null>(null);
  const [error, setError] = useState<unknown>(null);

  const reloadDatasets = useCallback(() => {
    api['eval.datasets.list']({}).then(setDatasets, setError);
  }, []);
  useEffect(() => {
    reloadDatasets();
    api['models.status']({}).then((s) => setModelLoaded(s.loaded !== null), () => setModelLoaded(false));
    return api.on('eval.progress', (e) => setProgress((p) => ({ ...p, [e.runId]: e })));
  }, [reloadDatasets]);

  return (
    <section className="screen" aria-labelledby="eval-title">
      <header className="screen-header">
        <h1 id="eval-title">Eval</h1>
        <p className="muted">Score prompts against datasets on your local model, and compare two prompts with statistics you can trust.</p>
      </header>
      {modelLoaded === false && tab !== 'datasets' && (
        <div className="empty">
          <p>Runs use your local model, and none is loaded. Load one, then come back to start a run.</p>
          <button type="button" className="primary" onClick={() => onNavigate('models')}>
            Go to Models
          </button>
        </div>
      )}
      {error !== null && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      <div className="tabs" role="tablist" aria-label="Eval sections">
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`eval-tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            aria-controls={`eval-panel-${t.id}`}
            className={tab === t.id ? 'tab active' : 'tab'}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div id={`eval-panel-${tab}`} role="tabpanel" aria-labelledby={`eval-tab-${tab}`} style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
        {tab === 'datasets' && <DatasetsPanel datasets={datasets} onChanged={reloadDatasets} />}
        {tab === 'runs' && <RunsPanel datasets={datasets} progress={progress} modelLoaded={modelLoaded === true} />}
        {tab === 'ab' && <AbPanel datasets={datasets} progress={progress} modelLoaded={modelLoaded === true} />}
      </div>
    </section>
  );
}
