import type { ReactNode } from 'react';
import './components.css';

/**
 * An accessible progress bar: a real `role="progressbar"` with value text, indeterminate when the total is
 * unknown (a server that sends no Content-Length).
 */
export function ProgressBar({ value, max, label, valueText }: { value: number; max: number | null; label: string; valueText?: string }): ReactNode {
  const fraction = max === null || max <= 0 ? null : Math.min(1, Math.max(0, value / max));
  return (
    <div
      className={fraction === null ? 'progress indeterminate' : 'progress'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max ?? undefined}
      aria-valuenow={max === null ? undefined : value}
      aria-valuetext={valueText}
    >
      <div className="progress-fill" style={{ width: fraction === null ? '30%' : `${(fraction * 100).toFixed(1)}%` }} />
    </div>
  );
}
