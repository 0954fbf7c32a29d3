import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ExtractOutput } from '../../../../shared/schemas/extraction.js';
import { AppError } from '../../../../shared/errors.js';
import { api } from '../../api.js';
import { ErrorNotice, toAppError } from '../../components/ErrorNotice.js';
import { SCHEMA_TEMPLATES } from './templates.js';
import { FieldBuilder } from './FieldBuilder.js';
import { ResultExtras } from './ResultExtras.js';
import { fieldProblems, objectSchema, starterFields, type BuilderField } from './schemaBuilder.js';
import './extraction.css';

type Tab = 'json-schema' | 'regex' | 'builder';

const TAB_LABEL: Record<Tab, string> = { 'json-schema': 'JSON Schema', regex: 'Regex', builder: 'Builder' };
const BUILDER_SAMPLE = 'Order AB-1234 from Acme Corp, placed on 2026-03-02. Status: shipped. Quantity: 12 units, express delivery.';

type CompileState =
  | { state: 'idle' }
  | { state: 'ok'; grammarHash: string; schemaHash: string; grammarBytes: number }
  | { state: 'error'; error: AppError };

/**
 * Schema editor (JSON Schema, regex, or a field-by-field Builder) that compiles as you type, and
 * grammar-constrained extraction with per-field marks and CSV/JSON export of the result.
 */
export function ExtractionScreen({ onGoToModels }: { onGoToModels: () => void }): ReactNode {
  const [tab, setTab] = useState<Tab>('json-schema');
  const [schemaText, setSchemaText] = useState(() => JSON.stringify(SCHEMA_TEMPLATES[0]!.schema, null, 2));
  const [pattern, setPattern] = useState('[A-Z]{2}-\\d{4}');
  const [fields, setFields] = useState<BuilderField[]>(starterFields);
  const problems = useMemo(() => fieldProblems(fields), [fields]);
  const builderSchema = useMemo(() => objectSchema(fields), [fields]);
  const [input, setInput] = useState(SCHEMA_TEMPLATES[0]!.sample);
  const [compiled, setCompiled] = useState<CompileState>({ state: 'idle' });
  const [running, setRunning] = useState(false);
  const [partial, setPartial] = useState<string>('');
  const [result, setResult] = useState<ExtractOutput | null>(null);
  const [runError, setRunError] = useState<unknown>(null);
  const [modelLoaded, setModelLoaded] = useState<boolean | null>(null);
  const requestId = useRef<string | null>(null);

  const target = useMemo(() => {
    if (tab === 'regex') return { ok: true as const, target: { kind: 'regex' as const, pattern } };
    if (tab === 'builder') {
      if (fields.length === 0) return { ok: false as const, error: new AppError('SCHEMA_INVALID', 'Add a field to start.') };
      if (problems.size > 0) {
        return { ok: false as const, error: new AppError('SCHEMA_INVALID', `Fix the ${problems.size === 1 ? 'marked field' : `${problems.size} marked fields`} first.`) };
      }
      return { ok: true as const, target: { kind: 'json-schema' as const, schema: builderSchema } };
    }
    try {
      const schema = JSON.parse(schemaText) as unknown;
      if (typeof schema !== 'boolean' && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
        return { ok: false as const, error: new AppError('SCHEMA_INVALID', 'A schema must be a JSON object or a boolean.', { details: { pointer: '' } }) };
      }
      return { ok: true as const, target: { kind: 'json-schema' as const, schema: schema as Record<string, unknown> } };
    } catch (err) {
      return { ok: false as const, error: new AppError('SCHEMA_INVALID', `Not valid JSON: ${(err as Error).message}`) };
    }
  }, [tab, schemaText, pattern, fields.length, problems, builderSchema]);

  useEffect(() => {
    api['models.status']({}).then((s) => setModelLoaded(s.loaded !== null), () => setModelLoaded(false));
    return api.on('extract.partial', (e) => {
      if (e.requestId === requestId.current) setPartial(JSON.stringify(e.partial ?? null, null, 2));
    });
  }, []);

  // compile as you type (debounced)
  useEffect(() => {
    if (!target.ok) {
      setCompiled({ state: 'error', error: target.error });
      return;
    }
    const timer = setTimeout(() => {
      api['extract.compile']({ target: target.target }).then(
        (c) => setCompiled({ state: 'ok', ...c }),
        (err: unknown) => setCompiled({ state: 'error', error: toAppError(err) }),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [target]);

  const [resultSchema, setResultSchema] = useState<unknown>(null);
  const run = async () => {
    if (!target.ok) return;
    setResultSchema(target.target.kind === 'json-schema' ? target.target.schema : null);
    setRunning(true);
    setResult(null);
    setRunError(null);
    setPartial('');
    requestId.current = api.newRequestId();
    try {
      setResult(await api['extract.run']({ target: target.target, input, maxTokens: 384 }, { requestId: requestId.current }));
    } catch (err) {
      setRunError(err);
    } finally {
      setRunning(false);
    }
  };

  const pointer = compiled.state === 'error' ? (compiled.error.details?.pointer as string | undefined) : undefined;
  const keyword = compiled.state === 'error' ? (compiled.error.details?.keyword as string | undefined) : undefined;

  return (
    <section className="screen" aria-labelledby="extraction-title">
      <header className="screen-header">
        <h1 id="extraction-title">Extraction</h1>
        <p className="muted">Output is constrained by a grammar compiled from your schema, then validated: it cannot come back malformed.</p>
      </header>
      {modelLoaded === false && (
        <div className="empty">
          <p>Extraction runs on your local model. Load one first.</p>
          <button type="button" className="primary" onClick={onGoToModels}>
            Go to Models
          </button>
        </div>
      )}
      <div className={tab === 'builder' ? 'grid two extraction-grid builder-layout' : 'grid two extraction-grid'}>
        <div className="card">
          <div className="tabs" role="tablist" aria-label="Schema kind">
            {(['json-schema', 'regex', 'builder'] as const).map((t) => (
              <button key={t} type="button" role="tab" aria-selected={tab === t} className={tab === t ? 'tab active' : 'tab'} onClick={() => setTab(t)}>
                {TAB_LABEL[t]}
              </button>
            ))}
            {tab === 'json-schema' && (
              <label className="inline small">
                Template
                <select
                  aria-label="Template"
                  onChange={(e) => {
                    const t = SCHEMA_TEMPLATES.find((x) => x.id === e.target.value);
                    if (t) {
                      setSchemaText(JSON.stringify(t.schema, null, 2));
                      setInput(t.sample);
                    }
                  }}
                >
                  {SCHEMA_TEMPLATES.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.label}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </div>
          {tab === 'builder' ? (
            <div role="tabpanel" aria-label="Builder">
              <FieldBuilder fields={fields} onChange={setFields} problems={problems} />
              <details className="generated" open>
                <summary>Generated JSON Schema (read-only)</summary>
                <pre className="code result" data-testid="generated-schema" aria-label="Generated JSON Schema">
                  {JSON.stringify(builderSchema, null, 2)}
                </pre>
                <div className="form-row">
                  <button
                    type="button"
                    onClick={() => {
                      setSchemaText(JSON.stringify(builderSchema, null, 2));
                      setTab('json-schema');
                    }}
                  >
                    Edit as JSON Schema
                  </button>
                  <button type="button" onClick={() => setInput(BUILDER_SAMPLE)}>
                    Use sample text
                  </button>
                </div>
              </details>
            </div>
          ) : tab === 'json-schema' ? (
            <label>
              JSON Schema
              <textarea className="code" rows={16} spellCheck={false} value={schemaText} onChange={(e) => setSchemaText(e.target.value)} aria-describedby="compile-status" />
            </label>
          ) : (
            <label>
              Regular expression (whole output must match)
              <input className="code" type="text" spellCheck={false} value={pattern} onChange={(e) => setPattern(e.target.value)} aria-describedby="compile-status" />
            </label>
          )}
          <div id="compile-status" className="compile-status small" data-testid="compile-status" aria-live="polite">
            {compiled.state === 'ok' && (
              <span className="good">
                ✓ Compiles · grammar {compiled.grammarHash.slice(0, 12)} · {compiled.grammarBytes} bytes
              </span>
            )}
            {compiled.state === 'error' && (
              <span className="bad">
                ✕ {compiled.error.message}
                {keyword !== undefined && (
                  <>
                    {' '}
                    — keyword <code>{keyword}</code>
                  </>
                )}
                {pointer !== undefined && (
                  <>
                    {' '}
                    at <code>{pointer === '' ? '/' : pointer}</code>
                  </>
                )}
              </span>
            )}
          </div>
        </div>
        <div className="card">
          <label>
            Text to extract from
            <textarea rows={8} value={input} onChange={(e) => setInput(e.target.value)} />
          </label>
          <div className="form-row">
            <button type="button" className="primary" disabled={running || compiled.state !== 'ok' || modelLoaded !== true || input.trim() === ''} onClick={run}>
              {running ? 'Extracting…' : 'Extract'}
            </button>
          </div>
          {runError !== null && <ErrorNotice error={runError} onDismiss={() => setRunError(null)} />}
          {running && partial !== '' && <pre className="code result muted">{partial}</pre>}
          {result !== null && (
            <div data-testid="extraction-result">
              <div className="badge-row">
                <span className="badge good" title={`grammar ${result.grammarHash ?? '-'}\nschema ${result.schemaHash}`}>
                  ✓ Enforced by {result.enforcement === 'grammar' ? 'grammar' : result.enforcement} · valid
                </span>
                <span className="muted small mono">
                  grammar {result.grammarHash?.slice(0, 12) ?? '—'} · schema {result.schemaHash.slice(0, 12)}
                </span>
              </div>
              <pre className="code result">{typeof result.value === 'string' ? result.value : JSON.stringify(result.value, null, 2)}</pre>
              <div className="muted small">
                {result.completionTokens} tokens · {result.attempts} attempt{result.attempts === 1 ? '' : 's'} · {Math.round(result.durationMs)} ms
              </div>
              <ResultExtras value={result.value} schema={resultSchema} />
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
