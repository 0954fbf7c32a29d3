import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { MetricResult } from './MetricResult.js';

// ajv-formats is CommonJS; depending on the loader its default export is the plugin or a namespace.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/** Parses `output` as JSON; tolerates one surrounding ```json fence (small models add them). */
export function parseJsonOutput(output: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(output);
  try {
    return { ok: true, value: JSON.parse(fenced ? fenced[1]! : output) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/** The output parses as JSON. */
export function jsonValid(output: string): MetricResult {
  const r = parseJsonOutput(output);
  return r.ok ? { metric: 'json-valid', pass: true, score: 1 } : { metric: 'json-valid', pass: false, score: 0, reason: r.error };
}

let ajv: Ajv2020 | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * The output (a JSON string, or an already-parsed value) validates against `schema` under JSON
 * Schema draft 2020-12 with ajv-formats (date, email, uri, uuid, …), `allErrors`, non-strict
 * (unknown keywords are ignored, not fatal). Compiled validators are cached per schema object.
 * A schema that does not compile throws (a bug in the test, not a model failure).
 */
export function schemaValid(output: string | { value: unknown }, schema: object): MetricResult {
  let value: unknown;
  if (typeof output === 'string') {
    const r = parseJsonOutput(output);
    if (!r.ok) return { metric: 'schema-valid', pass: false, score: 0, reason: `not JSON: ${r.error}` };
    value = r.value;
  } else value = output.value;
  ajv ??= addFormats(new Ajv2020({ allErrors: true, strict: false }));
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return { metric: 'schema-valid', pass: true, score: 1 };
  const e = validate.errors?.[0];
  return { metric: 'schema-valid', pass: false, score: 0, reason: e ? `${e.instancePath || '/'} ${e.message ?? e.keyword}` : 'invalid' };
}
