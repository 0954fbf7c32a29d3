import type { SchemaBenchReport, SchemaBenchStats } from './runSchemaBench.js';

function pct(a: number, b: number): string {
  return b === 0 ? '-' : `${((100 * a) / b).toFixed(1)}%`;
}

/** A fixed-width text table: one row per split plus the overall row, then compile errors by keyword. */
export function formatSchemaBenchReport(report: SchemaBenchReport): string {
  const head = ['split', 'schemas', 'w/tests', 'pass(w/tests)', 'pass%', 'compileErr', 'validErr', 'invalidErr', 'timeout', 'crash', 'p50ms', 'p95ms', 'p99ms'];
  const row = (name: string, s: SchemaBenchStats): string[] => [
    name, String(s.schemas), String(s.schemasWithTests), String(s.passingWithTests), pct(s.passingWithTests, s.schemasWithTests),
    String(s.compileErrors), String(s.validationErrors), String(s.invalidationErrors), String(s.timeouts), String(s.crashes),
    String(s.compileMs.p50), String(s.compileMs.p95), String(s.compileMs.p99),
  ];
  const rows = [head, ...Object.entries(report.splits).map(([k, s]) => row(k, s)), row('OVERALL', report.overall)];
  const widths = head.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  const kws = Object.entries(report.overall.compileErrorsByKeyword).sort((a, b) => b[1] - a[1]);
  lines.push('');
  lines.push(`engine=${report.engine}  total=${(report.totalMs / 1000).toFixed(1)}s  passing(all)=${report.overall.passing}/${report.overall.schemas}  tests=${report.overall.tests} validRejected=${report.overall.validRejected} invalidAccepted=${report.overall.invalidAccepted}`);
  if (kws.length) lines.push(`compile errors by keyword: ${kws.map(([k, n]) => `${k}=${n}`).join(' ')}`);
  return lines.join('\n');
}
