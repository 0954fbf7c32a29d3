import type { ReactNode } from 'react';
import type { EvalDatasetSummary } from '../../../../shared/schemas/eval.js';

/** The labelled dataset picker the Runs and A/B panels share (name, version and case count per option). */
export function DatasetSelect({ datasets, value, onChange }: { datasets: EvalDatasetSummary[]; value: string; onChange: (name: string) => void }): ReactNode {
  return (
    <label>
      Dataset
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {datasets.map((d) => (
          <option key={d.name} value={d.name}>
            {d.name} v{d.version} ({d.caseCount} cases)
          </option>
        ))}
      </select>
    </label>
  );
}
