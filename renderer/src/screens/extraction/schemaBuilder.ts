/**
 * The Builder tab's model: a zod-like list of typed fields that turns into a JSON Schema for `extract.compile`
 * and `extract.run`. Pure functions, no React, so they are unit-tested on their own.
 */

export const FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'enum', 'array', 'object'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** String formats the grammar compiler enforces (see the constrain service). */
export const STRING_FORMATS = ['', 'date', 'date-time', 'time', 'email', 'uuid', 'ipv4', 'hostname'] as const;

export interface BuilderField {
  /** Stable key for React and for validation marks. */
  id: string;
  name: string;
  type: FieldType;
  required: boolean;
  description: string;
  /** Numbers (minimum/maximum), strings (minLength/maxLength), arrays (minItems/maxItems); '' = unset. */
  min: string;
  max: string;
  pattern: string;
  format: (typeof STRING_FORMATS)[number];
  /** Enum values, comma-separated. */
  enumValues: string;
  /** Array items: one nameless field. */
  items: BuilderField | null;
  /** Object properties. */
  children: BuilderField[];
}

let counter = 0;
export function newField(overrides: Partial<BuilderField> = {}): BuilderField {
  counter += 1;
  return {
    id: `f${counter}-${Math.random().toString(36).slice(2, 7)}`,
    name: '',
    type: 'string',
    required: true,
    description: '',
    min: '',
    max: '',
    pattern: '',
    format: '',
    enumValues: '',
    items: null,
    children: [],
    ...overrides,
  };
}

/** Switching type keeps name/required/description and gives arrays an item and objects a first property. */
export function withType(field: BuilderField, type: FieldType): BuilderField {
  return {
    ...field,
    type,
    min: '',
    max: '',
    pattern: '',
    format: '',
    items: type === 'array' ? (field.items ?? newField({ name: 'item' })) : null,
    children: type === 'object' && field.children.length === 0 ? [newField({ name: 'value' })] : field.children,
  };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Problems the user must fix before the schema is sent, keyed by field id (one message per field). */
export function fieldProblems(fields: readonly BuilderField[], isItem = false): Map<string, string> {
  const problems = new Map<string, string>();
  const seen = new Set<string>();
  for (const f of fields) {
    const p = fieldProblem(f, isItem, seen);
    if (p !== null) problems.set(f.id, p);
    seen.add(f.name);
    if (f.type === 'object') for (const [k, v] of fieldProblems(f.children)) problems.set(k, v);
    if (f.type === 'array' && f.items !== null) for (const [k, v] of fieldProblems([f.items], true)) problems.set(k, v);
  }
  return problems;
}

function fieldProblem(f: BuilderField, isItem: boolean, seen: Set<string>): string | null {
  if (!isItem) {
    if (f.name === '') return 'Give the field a name.';
    if (!NAME.test(f.name)) return 'Names start with a letter or _, then letters, digits or _.';
    if (seen.has(f.name)) return `"${f.name}" is used twice.`;
  }
  const min = f.min.trim() === '' ? null : Number(f.min);
  const max = f.max.trim() === '' ? null : Number(f.max);
  if ((min !== null && !Number.isFinite(min)) || (max !== null && !Number.isFinite(max))) return 'Min and max must be numbers.';
  if (min !== null && max !== null && min > max) return `Min (${min}) is above max (${max}).`;
  const counts = f.type === 'string' || f.type === 'array';
  if (counts && ((min !== null && (!Number.isInteger(min) || min < 0)) || (max !== null && (!Number.isInteger(max) || max < 0)))) {
    return 'Lengths are whole numbers ≥ 0.';
  }
  if (f.type === 'integer' && ((min !== null && !Number.isInteger(min)) || (max !== null && !Number.isInteger(max)))) return 'Integer bounds must be whole numbers.';
  if (f.type === 'enum' && enumList(f.enumValues).length === 0) return 'List at least one value, separated by commas.';
  if (f.type === 'string' && f.pattern !== '') {
    try {
      new RegExp(f.pattern, 'u');
    } catch (err) {
      return `Pattern: ${(err as Error).message}`;
    }
  }
  if (f.type === 'object' && f.children.length === 0) return 'An object needs at least one property.';
  return null;
}

function enumList(text: string): string[] {
  return [...new Set(text.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
}

/** The JSON Schema of one field (without its name). */
export function fieldSchema(f: BuilderField): Record<string, unknown> {
  const s: Record<string, unknown> = {};
  const num = (v: string) => (v.trim() === '' ? undefined : Number(v));
  const min = num(f.min);
  const max = num(f.max);
  switch (f.type) {
    case 'string':
      s.type = 'string';
      if (min !== undefined) s.minLength = min;
      if (max !== undefined) s.maxLength = max;
      if (f.pattern !== '') s.pattern = f.pattern;
      if (f.format !== '') s.format = f.format;
      break;
    case 'number':
    case 'integer':
      s.type = f.type;
      if (min !== undefined) s.minimum = min;
      if (max !== undefined) s.maximum = max;
      break;
    case 'boolean':
      s.type = 'boolean';
      break;
    case 'enum':
      s.enum = enumList(f.enumValues);
      break;
    case 'array':
      s.type = 'array';
      s.items = f.items === null ? {} : fieldSchema(f.items);
      if (min !== undefined) s.minItems = min;
      if (max !== undefined) s.maxItems = max;
      break;
    case 'object':
      Object.assign(s, objectSchema(f.children));
      break;
  }
  if (f.description.trim() !== '') s.description = f.description.trim();
  return s;
}

/** The object schema of a field list: closed (`additionalProperties: false`), so the grammar is tight. */
export function objectSchema(fields: readonly BuilderField[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const f of fields) properties[f.name] = fieldSchema(f);
  const required = fields.filter((f) => f.required).map((f) => f.name);
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

/** A starting point that shows every kind of constraint. */
export function starterFields(): BuilderField[] {
  return [
    newField({ name: 'company', description: 'Legal name of the seller', max: '80' }),
    newField({ name: 'orderId', pattern: '^[A-Z]{2}-\\d{4}$' }),
    newField({ name: 'orderDate', format: 'date' }),
    newField({ name: 'status', type: 'enum', enumValues: 'open, shipped, cancelled' }),
    newField({ name: 'quantity', type: 'integer', min: '1', max: '1000' }),
    newField({ name: 'express', type: 'boolean', required: false }),
  ];
}
