import { AppError } from '../../../shared/errors.js';

/** A filter value that cannot be expressed safely as a SQL literal (NUL byte, non-finite number). */
export class FilterValueError extends AppError {
  constructor(readonly value: string) {
    super('INVALID_INPUT', `Filter value cannot be used in a query: ${JSON.stringify(value).slice(0, 80)}`, { details: { value: value.slice(0, 200) } });
  }
}

/**
 * Renders one value as a SQL literal for LanceDB `where` predicates (DataFusion dialect).
 * Strings: single-quoted with embedded quotes doubled — the only escape standard SQL strings have
 * (backslashes are literal in DataFusion), so `o'neil' OR 1=1 --` stays one harmless string.
 * NUL bytes are rejected rather than silently stripped. Numbers must be finite. Dates become
 * epoch milliseconds (the store's `created_at` unit). This is the ONLY way user values enter
 * predicates; LanceDB's Node API has no bind parameters.
 */
export function sqlLiteral(value: string | number | boolean | Date): string {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new FilterValueError(value);
    return `'${value.replace(/'/g, "''")}'`;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const n = value instanceof Date ? value.getTime() : value;
  if (!Number.isFinite(n)) throw new FilterValueError(String(value));
  return String(n);
}
