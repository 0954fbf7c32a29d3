import type { SoakReport } from './runExtractionSoak.js';
import { soakFeatures, type SoakFeature } from './soakFeatures.js';

/**
 * Text report: one row per case (runs / valid / truncated / invalid / budget / seconds), then the coverage
 * table (feature → cases with at least one valid completed run), then up to `maxFailures` invalid outputs.
 */
export function formatSoakReport(report: SoakReport, maxFailures = 20): string {
  const lines: string[] = [];
  const names = Object.keys(report.perCase);
  const w = Math.max(4, ...names.map((n) => n.length));
  const num = (v: number | string, n = 6) => String(v).padStart(n);
  lines.push(`${'case'.padEnd(w)} ${num('runs')} ${num('valid')} ${num('trunc')} ${num('invalid', 7)} ${num('budget')} ${num('sec', 7)}`);
  for (const [name, s] of Object.entries(report.perCase)) {
    const row = `${name.padEnd(w)} ${num(s.runs)} ${num(s.valid)} ${num(s.truncated)} ${num(s.invalid, 7)} ${num(s.maxTokens)} ${num(s.seconds.toFixed(1), 7)}`;
    lines.push(s.error === undefined ? row : `${row}  COMPILE ERROR: ${s.error}`);
  }
  lines.push(`${'TOTAL'.padEnd(w)} ${num(report.runs)} ${num(report.valid)} ${num(report.truncated)} ${num(report.invalid, 7)}`);
  lines.push('');
  const features = Object.keys(soakFeatures) as SoakFeature[];
  const fw = Math.max(...features.map((f) => f.length));
  lines.push(`coverage: ${features.length - report.uncovered.length}/${features.length} features with ≥1 valid completed run`);
  for (const f of features) {
    const cases = report.coverage[f];
    lines.push(`${f.padEnd(fw)} ${cases.length === 0 ? 'UNCOVERED' : `${cases.length} case(s): ${cases.join(' | ')}`}`);
  }
  for (const f of report.failures.slice(0, maxFailures)) {
    lines.push(`INVALID ${f.case} seed=${f.seed}: ${JSON.stringify(f.output)} — ${f.errors.join('; ')}`);
  }
  return lines.join('\n');
}
