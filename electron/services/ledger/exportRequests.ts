import type Database from 'better-sqlite3';
import type { TimeRange } from './ledgerTypes.js';

const DAY_MS = 86_400_000;

export type ExportFormat = 'csv' | 'json' | 'ndjson';

/** Columns in export order (the `llm_requests` columns; the `shadow_costs` JSON column is not exported). */
export const EXPORT_COLUMNS = [
  'request_id', 'ts', 'user_id', 'project_id', 'endpoint', 'provider', 'model', 'is_local',
  'prompt_tokens', 'completion_tokens', 'cached_tokens', 'prompt_cost_micros', 'completion_cost_micros',
  'total_cost_micros', 'latency_ms', 'status', 'error_code', 'attempt', 'parent_request_id', 'cache_hit',
  'grammar_hash', 'schema_hash', 'energy_mwh', 'pricing_version', 'saved_micros',
] as const;

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled; NULL → empty. */
function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Writes requests in `[since, until)` ordered by time, one `write` per row (plus header/brackets);
 * rows are iterated, not collected, but SQLite sorts the range first (see the ORDER BY note). CSV is RFC 4180 (CRLF line ends, header row); `json` is one
 * array; `ndjson` one object per line. Amounts are the stored integers (µ$, mWh). Returns the row count.
 */
export function exportRequests(
  db: Database.Database,
  o: TimeRange & { format: ExportFormat; write: (chunk: string) => void },
): number {
  // No ts index since migration v6: a bounded export range-scans the (ts / day, …) index by its day
  // bounds, then the ORDER BY sorts in a temp B-tree (so memory/temp space grows with the range).
  const since = o.since ?? 0;
  const until = o.until ?? Number.MAX_SAFE_INTEGER;
  const bounded = o.since !== undefined || o.until !== undefined;
  const stmt = db.prepare(
    `SELECT ${EXPORT_COLUMNS.join(', ')} FROM llm_requests
     WHERE ${bounded ? `ts / ${DAY_MS} BETWEEN ? AND ? AND ` : ''}ts >= ? AND ts < ? ORDER BY ts, request_id`,
  );
  const params = bounded ? [Math.floor(since / DAY_MS), Math.ceil(until / DAY_MS) - 1, since, until] : [since, until];
  let n = 0;
  if (o.format === 'csv') o.write(EXPORT_COLUMNS.join(',') + '\r\n');
  if (o.format === 'json') o.write('[');
  for (const row of stmt.iterate(...params) as Iterable<
    Record<string, unknown>
  >) {
    if (o.format === 'csv') o.write(EXPORT_COLUMNS.map((c) => csvField(row[c])).join(',') + '\r\n');
    else if (o.format === 'json') o.write((n === 0 ? '\n' : ',\n') + JSON.stringify(row));
    else o.write(JSON.stringify(row) + '\n');
    n++;
  }
  if (o.format === 'json') o.write(n === 0 ? ']\n' : '\n]\n');
  return n;
}
