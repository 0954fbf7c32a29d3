import { Ajv2020 } from 'ajv/dist/2020.js';
import AjvDraft07 from 'ajv';
import addFormatsModule from 'ajv-formats';
import { AppError } from '../../../shared/errors.js';

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

export type Validate = (value: unknown) => string[];

/**
 * A real JSON Schema validator (ajv with ajv-formats) — every extraction is validated after generation,
 * even when a grammar enforced it. Draft 2020-12 by default; schemas declaring draft-04/06/07 use ajv's
 * draft-07 engine (draft-04's boolean exclusiveMinimum is rewritten to the numeric form first).
 */
export function createValidator(schema: unknown): Validate {
  const declared = typeof schema === 'object' && schema !== null ? String((schema as { $schema?: unknown }).$schema ?? '') : '';
  const legacy = /draft-0[4-7]/.test(declared);
  const AjvClass = (legacy ? ((AjvDraft07 as unknown as { default?: unknown }).default ?? AjvDraft07) : Ajv2020) as new (o: object) => {
    compile(s: unknown): ((v: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
  };
  const ajv = new AjvClass({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv as never);
  let validate;
  try {
    validate = ajv.compile(legacy ? upgradeDraft4(schema) : schema);
  } catch (err) {
    throw new AppError('SCHEMA_INVALID', `The schema is not valid: ${(err as Error).message}`, { cause: err });
  }
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`));
}

function upgradeDraft4(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(upgradeDraft4);
  if (s === null || typeof s !== 'object') return s;
  const o = { ...(s as Record<string, unknown>) };
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof o[flag] === 'boolean') {
      if (o[flag] === true && typeof o[bound] === 'number') {
        o[flag] = o[bound];
        delete o[bound];
      } else delete o[flag];
    }
  }
  for (const [k, v] of Object.entries(o)) if (k !== 'enum' && k !== 'const') o[k] = upgradeDraft4(v);
  return o;
}
