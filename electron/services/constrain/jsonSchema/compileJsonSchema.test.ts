import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileJsonSchema } from './compileJsonSchema.js';
import { compileTools } from './compileTools.js';
import { compileZod } from './compileZod.js';
import { SchemaCompileError } from './SchemaCompileError.js';
import { SchemaInvalidError } from './SchemaInvalidError.js';
import { SchemaUnsatisfiableError } from './SchemaUnsatisfiableError.js';

function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('compileJsonSchema error paths', () => {
  it('refuses keywords it cannot enforce, naming keyword and pointer', () => {
    const e = errorOf(() => compileJsonSchema({ type: 'object', properties: { a: { type: 'array', uniqueItems: true } } }));
    expect(e).toBeInstanceOf(SchemaCompileError);
    expect((e as SchemaCompileError).code).toBe('SCHEMA_UNSUPPORTED');
    expect((e as SchemaCompileError).details).toEqual({ keyword: 'uniqueItems', pointer: '/properties/a/uniqueItems' });
  });

  it('refuses overlapping oneOf branches', () => {
    const e = errorOf(() => compileJsonSchema({ oneOf: [{ type: 'integer' }, { type: 'number' }] }));
    expect((e as SchemaCompileError).keyword).toBe('oneOf');
  });

  it('accepts disjoint oneOf branches (types, discriminator consts)', () => {
    expect(() => compileJsonSchema({ oneOf: [{ type: 'string' }, { type: 'integer' }] })).not.toThrow();
    expect(() =>
      compileJsonSchema({
        oneOf: [
          { type: 'object', properties: { kind: { const: 'a' } }, required: ['kind'] },
          { type: 'object', properties: { kind: { const: 'b' } }, required: ['kind'] },
        ],
      }),
    ).not.toThrow();
  });

  it('lists unsupported keywords for post-validation only when allowed', () => {
    const schema = { type: 'array', items: { type: 'string', pattern: '(a)\\1' }, uniqueItems: true, contains: { const: 'x' } };
    const r = compileJsonSchema(schema, { allowPostValidation: true });
    expect(r.postValidation.map((p) => p.keyword).sort()).toEqual(['contains', 'pattern', 'uniqueItems']);
    expect(r.postValidation.find((p) => p.keyword === 'pattern')?.pointer).toBe('/items/pattern');
    expect(() => compileJsonSchema(schema)).toThrow(SchemaCompileError);
  });

  it('reports invalid schemas as SCHEMA_INVALID', () => {
    for (const bad of [42, null, [], { type: 'strnig' }, { minLength: -1 }, { $ref: '#/definitions/missing' }, { enum: 'x' }, { pattern: '(' }]) {
      const e = errorOf(() => compileJsonSchema(bad));
      expect(e, JSON.stringify(bad)).toBeInstanceOf(SchemaInvalidError);
      expect((e as SchemaInvalidError).code).toBe('SCHEMA_INVALID');
    }
  });

  it('reports unsatisfiable schemas as SCHEMA_UNSATISFIABLE', () => {
    for (const bad of [
      false,
      { type: 'integer', minimum: 5, maximum: 4 },
      { type: 'string', minLength: 3, maxLength: 2 },
      { type: 'string', enum: [1, 2] },
      { type: 'array', minItems: 3, maxItems: 1 },
      { type: 'object', properties: { a: false }, required: ['a'] },
      { type: 'number', exclusiveMinimum: 1, exclusiveMaximum: 1 },
    ]) {
      const e = errorOf(() => compileJsonSchema(bad));
      expect(e, JSON.stringify(bad)).toBeInstanceOf(SchemaUnsatisfiableError);
    }
  });

  it('refuses non-local references and unsupported formats', () => {
    expect((errorOf(() => compileJsonSchema({ $ref: 'http://x/y.json' })) as SchemaCompileError).keyword).toBe('$ref');
    expect((errorOf(() => compileJsonSchema({ type: 'string', format: 'iri' })) as SchemaCompileError).keyword).toBe('format');
    // a format the grammar cannot intersect with length bounds is refused, never dropped (uri used to be)
    expect((errorOf(() => compileJsonSchema({ type: 'string', format: 'uri', maxLength: 80 })) as SchemaCompileError).keyword).toBe('format');
    expect((errorOf(() => compileJsonSchema({ type: 'string', format: 'time', maxLength: 12 })) as SchemaCompileError).keyword).toBe('format');
    expect((errorOf(() => compileJsonSchema({ type: 'string', format: 'email', pattern: '^a' })) as SchemaCompileError).keyword).toBe('format');
  });

  it('length bounds a format already implies add nothing; impossible email bounds are unsatisfiable', () => {
    expect(compileJsonSchema({ type: 'string', format: 'date', minLength: 4, maxLength: 10 }).gbnf).toBe(compileJsonSchema({ type: 'string', format: 'date' }).gbnf);
    expect(compileJsonSchema({ type: 'string', format: 'ipv6', maxLength: 64 }).gbnf).toBe(compileJsonSchema({ type: 'string', format: 'ipv6' }).gbnf);
    expect(compileJsonSchema({ type: 'string', format: 'uri', minLength: 1 }).gbnf).toBe(compileJsonSchema({ type: 'string', format: 'uri' }).gbnf);
    expect(errorOf(() => compileJsonSchema({ type: 'string', format: 'email', maxLength: 4 }))).toBeInstanceOf(SchemaUnsatisfiableError);
    expect(errorOf(() => compileJsonSchema({ type: 'string', format: 'date', maxLength: 8 }))).toBeInstanceOf(SchemaCompileError);
  });

  it('ignores annotations, vendor keys and unknown formats', () => {
    const a = compileJsonSchema({ type: 'string' }).gbnf;
    const b = compileJsonSchema({ type: 'string', title: 't', description: 'd', default: 'x', examples: ['y'], 'x-foo': 1, $comment: 'c', format: 'my-format' }).gbnf;
    expect(b).toBe(a);
  });

  it('hashes deterministically', () => {
    const r1 = compileJsonSchema({ type: 'object', properties: { a: { type: 'string' } } });
    const r2 = compileJsonSchema({ properties: { a: { type: 'string' } }, type: 'object' });
    expect(r1.schemaHash).toBe(r2.schemaHash);
    expect(r1.grammarHash).toMatch(/^[0-9a-f]{64}$/);
    expect(compileJsonSchema({ type: 'string' }).schemaHash).not.toBe(r1.schemaHash);
  });

  it('enforces the rule budget', () => {
    const props = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, { type: 'integer', minimum: i, maximum: 1000 + i }]));
    expect((errorOf(() => compileJsonSchema({ type: 'object', properties: props }, { maxRules: 20 })) as SchemaCompileError).keyword).toBe('maxRules');
  });
});

describe('compileZod / compileTools', () => {
  it('strips zod safe-integer bounds but keeps real ones', () => {
    const r = compileZod(z.object({ n: z.number().int(), m: z.number().int().min(3) }));
    const js = r.jsonSchema as { properties: { n: Record<string, unknown>; m: Record<string, unknown> } };
    expect(js.properties.n.minimum).toBeUndefined();
    expect(js.properties.n.maximum).toBeUndefined();
    expect(js.properties.m.minimum).toBe(3);
  });

  it('rejects duplicate or empty tool lists', () => {
    expect(() => compileTools([])).toThrow(SchemaInvalidError);
    expect(() => compileTools([{ name: 'a', parameters: {} }, { name: 'a', parameters: {} }])).toThrow(SchemaInvalidError);
  });
});

describe('compileJsonSchema purity', () => {
  it('does not mutate the input schema', () => {
    const schema = { type: 'object', properties: { a: { type: 'string', allOf: [{ maxLength: 3 }] } }, required: ['a', 'b'], additionalProperties: { type: 'integer' } };
    const before = JSON.stringify(schema);
    compileJsonSchema(schema);
    expect(JSON.stringify(schema)).toBe(before);
  });

  it('refuses allOf merges that would weaken prefixItems/items', () => {
    const e = errorOf(() => compileJsonSchema({ allOf: [{ type: 'array', prefixItems: [{ type: 'string' }] }, { type: 'array', items: { type: 'integer' } }] }));
    expect((e as SchemaCompileError).keyword).toBe('allOf');
  });
});
