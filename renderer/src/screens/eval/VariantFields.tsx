import type { ReactNode } from 'react';
import type { EvalMetricName, EvalVariantInput } from '../../../../shared/schemas/eval.js';

export const METRIC_LABELS: Record<EvalMetricName, string> = {
  'normalized-match': 'Normalized match (case, punctuation, articles ignored)',
  'exact-match': 'Exact match',
  contains: 'Contains the expected answer',
  'token-f1': 'Token F1 (partial credit)',
  'schema-valid': 'Valid against the JSON schema',
  'field-f1': 'Field-level F1 (extraction)',
};

/** The editable part of a variant: name, prompt template, temperature, max tokens, metric. */
export type VariantDraft = Required<Pick<EvalVariantInput, 'name' | 'promptTemplate' | 'temperature' | 'maxTokens'>> & { metric: EvalMetricName };

export function toVariant(d: VariantDraft): EvalVariantInput {
  return { name: d.name.trim() || 'variant', promptTemplate: d.promptTemplate, temperature: d.temperature, maxTokens: d.maxTokens, metrics: [d.metric] };
}

/** One variant's fields; `label` prefixes every field label ("Prompt A") so two forms side by side stay distinct. */
export function VariantFields({ label, value, onChange, showMetric = true }: { label: string; value: VariantDraft; onChange: (v: VariantDraft) => void; showMetric?: boolean }): ReactNode {
  const set = <K extends keyof VariantDraft>(k: K, v: VariantDraft[K]) => onChange({ ...value, [k]: v });
  const suffix = label === '' ? '' : ` ${label}`;
  return (
    <div className="eval-variant">
      <label>
        Name{suffix}
        <input type="text" value={value.name} onChange={(e) => set('name', e.target.value)} />
      </label>
      <label>
        Prompt{suffix}
        <textarea className="code" rows={3} spellCheck={false} value={value.promptTemplate} onChange={(e) => set('promptTemplate', e.target.value)} aria-describedby="template-help" />
      </label>
      <div className="eval-fields">
        <label>
          Temperature{suffix}
          <input type="number" min={0} max={2} step={0.1} value={value.temperature} onChange={(e) => set('temperature', Number(e.target.value))} />
        </label>
        <label>
          Max tokens{suffix}
          <input type="number" min={1} max={4096} value={value.maxTokens} onChange={(e) => set('maxTokens', Math.max(1, Math.round(Number(e.target.value))))} />
        </label>
        {showMetric && (
          <label className="grow">
            Metric{suffix}
            <select value={value.metric} onChange={(e) => set('metric', e.target.value as EvalMetricName)}>
              {(Object.keys(METRIC_LABELS) as EvalMetricName[]).map((m) => (
                <option key={m} value={m}>
                  {METRIC_LABELS[m]}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
    </div>
  );
}
