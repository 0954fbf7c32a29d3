/**
 * Exports of an extraction result (CSV/JSON) and per-field checks of a value against the schema's top-level
 * properties. The server already validated the whole value; the checks say which field satisfied what, so a
 * user sees at a glance that `total` met `minimum: 0` and that the optional `paid` was left out.
 */

function csvCell(v: unknown): string {
  const text = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * RFC 4180 CSV: a header of the object's keys (schema order first when given) and one row of values; nested
 * values as JSON. An array of objects becomes one row per element; anything else one `value` column.
 */
export function toCsv(value: unknown, keyOrder: readonly string[] = []): string {
  const rows: Record<string, unknown>[] = Array.isArray(value) && value.every(isRecord) ? value : isRecord(value) ? [value] : [{ value }];
  const keys = [...keyOrder.filter((k) => rows.some((r) => k in r))];
  for (const r of rows) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  return [keys.map(csvCell).join(','), ...rows.map((r) => keys.map((k) => csvCell(r[k])).join(','))].join('\r\n') + '\r\n';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export type FieldCheck = { field: string; state: 'ok' | 'absent' | 'missing' | 'invalid'; note: string };

/** One mark per top-level property of an object schema (an empty list for other schemas). */
export function fieldChecks(schema: unknown, value: unknown): FieldCheck[] {
  if (!isRecord(schema) || !isRecord(schema.properties)) return [];
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const obj = isRecord(value) ? value : {};
  return Object.entries(schema.properties).map(([field, sub]) => {
    if (!(field in obj)) {
      return required.includes(field) ? { field, state: 'missing', note: 'required but not present' } : { field, state: 'absent', note: 'optional, not present' };
    }
    const problem = checkValue(sub, obj[field]);
    return problem === null ? { field, state: 'ok', note: describe(sub) } : { field, state: 'invalid', note: problem };
  });
}

const TYPE_OK: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  array: Array.isArray,
  object: isRecord,
  null: (v) => v === null,
};

/** The common keywords only (type, enum, const, bounds, lengths, pattern); others were checked by the server. */
function checkValue(schema: unknown, v: unknown): string | null {
  if (!isRecord(schema)) return null;
  const types = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? (schema.type as string[]) : [];
  if (types.length > 0 && !types.some((t) => TYPE_OK[t]?.(v) ?? true)) return `not ${types.join(' or ')}`;
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) return 'not one of the allowed values';
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(v)) return 'not the required constant';
  if (typeof v === 'number') {
    if (typeof schema.minimum === 'number' && v < schema.minimum) return `below minimum ${schema.minimum}`;
    if (typeof schema.maximum === 'number' && v > schema.maximum) return `above maximum ${schema.maximum}`;
  }
  if (typeof v === 'string') {
    const length = [...v].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) return `shorter than ${schema.minLength}`;
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) return `longer than ${schema.maxLength}`;
    if (typeof schema.pattern === 'string') {
      try {
        if (!new RegExp(schema.pattern, 'u').test(v)) return `does not match ${schema.pattern}`;
      } catch {
        // a pattern this browser cannot compile was still enforced by the grammar and the server's validator
      }
    }
  }
  if (Array.isArray(v)) {
    if (typeof schema.minItems === 'number' && v.length < schema.minItems) return `fewer than ${schema.minItems} items`;
    if (typeof schema.maxItems === 'number' && v.length > schema.maxItems) return `more than ${schema.maxItems} items`;
    for (const [i, item] of v.entries()) {
      const p = checkValue(schema.items, item);
      if (p !== null) return `item ${i}: ${p}`;
    }
  }
  return null;
}

function describe(schema: unknown): string {
  if (!isRecord(schema)) return 'valid';
  const parts: string[] = [];
  if (typeof schema.type === 'string') parts.push(schema.type);
  if (Array.isArray(schema.enum)) parts.push(`one of ${schema.enum.length}`);
  if (typeof schema.format === 'string') parts.push(schema.format);
  if (typeof schema.pattern === 'string') parts.push('pattern');
  for (const k of ['minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems'] as const) {
    if (typeof schema[k] === 'number') parts.push(`${k} ${schema[k] as number}`);
  }
  return parts.join(' · ') || 'valid';
}
