import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GrammarChecker } from '../check/index.js';
import { anyJsonGbnf } from './anyJsonGbnf.js';
import { compileJsonSchema, type CompileJsonSchemaOptions } from './compileJsonSchema.js';
import { compileTools } from './compileTools.js';
import { compileZod } from './compileZod.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (a: Ajv2020) => void;
const ajv = new Ajv2020({ strict: false, logger: false });
addFormats(ajv);

let checker: GrammarChecker;
beforeAll(async () => {
  checker = await GrammarChecker.create({ threads: 2 });
});
afterAll(async () => {
  await checker?.dispose();
});

function grammarFor(schema: unknown, options?: CompileJsonSchemaOptions): (v: unknown) => boolean {
  const g = checker.compile(compileJsonSchema(schema, options).gbnf);
  return (v) => g.accepts(JSON.stringify(v));
}

function expectExact(schema: unknown, valid: unknown[], invalid: unknown[]): void {
  const accepts = grammarFor(schema);
  const validate = ajv.compile(schema as object);
  for (const v of valid) {
    expect(validate(v), `ajv should accept ${JSON.stringify(v)}`).toBe(true);
    expect(accepts(v), `grammar should accept ${JSON.stringify(v)}`).toBe(true);
  }
  for (const v of invalid) {
    expect(validate(v), `ajv should reject ${JSON.stringify(v)}`).toBe(false);
    expect(accepts(v), `grammar should reject ${JSON.stringify(v)}`).toBe(false);
  }
}

describe('compileJsonSchema: features (checked by llama.cpp grammar engine)', () => {
  it('types and unions', () => {
    expectExact({ type: ['string', 'null'] }, ['a', null, ''], [1, true, [], {}]);
    expectExact({ type: 'boolean' }, [true, false], ['true', 0, null]);
    expectExact({}, [1, 'x', null, [1, { a: [] }], { b: { c: 'd' } }], []);
  });

  it('integers: no exponent, no leading zero, exact ranges', () => {
    const acc = grammarFor({ type: 'integer' });
    expect(checker.compile(compileJsonSchema({ type: 'integer' }).gbnf).accepts('1e3')).toBe(false);
    expect(checker.compile(compileJsonSchema({ type: 'integer' }).gbnf).accepts('01')).toBe(false);
    expect(checker.compile(compileJsonSchema({ type: 'integer' }).gbnf).accepts('-0')).toBe(true);
    expect(acc(1.5)).toBe(false);
    expectExact({ type: 'integer', minimum: -15, maximum: 207 }, [-15, -9, 0, 9, 10, 99, 100, 199, 207], [-16, 208, 1000, -100]);
    expectExact({ type: 'integer', exclusiveMinimum: 0 }, [1, 10, 123456789], [0, -1]);
    expectExact({ type: 'integer', exclusiveMaximum: -3 }, [-4, -100], [-3, 0, 5]);
  });

  it('draft-4 boolean exclusive bounds', () => {
    const acc = grammarFor({ type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true });
    expect([0, 1, 9, 10].map(acc)).toEqual([false, true, true, false]);
  });

  it('numbers with integer bounds', () => {
    expectExact({ type: 'number', minimum: 0 }, [0, 0.5, 3, 1234.25], [-0.5, -1]);
    expectExact({ type: 'number', exclusiveMinimum: 0, maximum: 1 }, [0.001, 0.5, 1], [0, 1.0001, 2, -0.5]);
    expectExact({ type: 'number', minimum: -2, exclusiveMaximum: 2 }, [-2, -1.5, 0, 1.999], [-2.01, 2, 2.5]);
  });

  it('multipleOf on integers', () => {
    expectExact({ type: 'integer', multipleOf: 7 }, [0, 7, -14, 700, 343], [1, 8, -15, 701]);
  });

  it('strings: code-point lengths, escapes', () => {
    expectExact({ type: 'string', minLength: 2, maxLength: 3 }, ['ab', 'abc', '😀😀', 'a\n', 'é"'], ['a', 'abcd', '😀', '']);
    expectExact({ type: 'string', maxLength: 2500 }, ['x'.repeat(2500), ''], ['x'.repeat(2501)]);
    expectExact({ type: 'string', minLength: 2001 }, ['y'.repeat(2001)], ['y'.repeat(2000)]);
  });

  it('pattern (search semantics) and pattern with length', () => {
    expectExact({ type: 'string', pattern: '^[a-z]+-\\d{2}$' }, ['ab-12'], ['ab-1', 'AB-12', 'x ab-12']);
    expectExact({ type: 'string', pattern: 'foo' }, ['foo', 'xfooy'], ['fo', '']);
    expectExact({ type: 'string', pattern: '^[a-z0-9-]+$', minLength: 2, maxLength: 4 }, ['ab', 'a-b1'], ['a', 'abcde', 'A1']);
  });

  it('formats match ajv-formats', () => {
    expectExact({ type: 'string', format: 'date' }, ['2024-02-29', '2000-02-29', '2023-12-31'], ['2023-02-29', '1900-02-29', '2023-13-01', '2023-04-31', '2023-1-01']);
    expectExact({ type: 'string', format: 'time' }, ['12:30:00Z', '23:59:59.123+05:30', '00:00:00-0800'], ['24:00:00Z', '12:30:00', '12:60:00Z']);
    expectExact({ type: 'string', format: 'date-time' }, ['2024-01-01T00:00:00Z', '2024-01-01t10:00:00.5+01:00'], ['2024-01-01 25:00:00Z', '2024-01-01T00:00:00']);
    expectExact({ type: 'string', format: 'ipv4' }, ['0.0.0.0', '255.255.255.255', '192.168.1.10'], ['256.0.0.1', '01.2.3.4', '1.2.3']);
    expectExact({ type: 'string', format: 'uuid' }, ['123e4567-e89b-12d3-a456-426614174000', 'urn:uuid:123E4567-E89B-12D3-A456-426614174000'], ['123e4567e89b12d3a456426614174000', 'g23e4567-e89b-12d3-a456-426614174000']);
    expectExact({ type: 'string', format: 'email' }, ['a.b+c@example.co.uk', 'x@y.z'], ['a@b', '@b.c', 'a..b@c.d', 'a@-b.c']);
    expectExact({ type: 'string', format: 'hostname' }, ['example.com', 'a-b.c', 'localhost'], ['-a.com', 'a_b.com', 'a..b']);
    expectExact({ type: 'string', format: 'uri' }, ['https://example.com/a?b=c#d', 'urn:isbn:0451450523'], ['/relative', 'no scheme', 'http://a b']);
    expectExact(
      { type: 'string', format: 'ipv6' },
      ['::', '::1', '2001:db8::8a2e:370:7334', 'FE80::0202:B3FF:FE1E:8329', '1:2:3:4:5:6:7:8', '::ffff:192.168.1.1', '1::'],
      ['', ':', '1:2:3:4:5:6:7:8:9', '12345::', '::ffff:256.1.1.1', 'g::1', '1:::2'],
    );
  });

  it('email with length bounds: exact at every length around the bounds', () => {
    const schema = { type: 'string', format: 'email', minLength: 7, maxLength: 12 };
    expectExact(
      schema,
      ['ab@cd.ef', 'a.b@c.d', 'x@y.zzz', 'a-b@c-d.e', 'abcd@ef.ghij', 'abcdef@b.c'],
      ['a@b.c', 'x@y.zz', 'abcd@ef.ghijk', 'abcdefghi@b.c', 'a@b', 'a..b@cc.d', 'ab@-c.de'],
    );
    // exhaustive: every string over a small alphabet one below, at and one above the bounds, grammar ⇔ ajv
    const tight = { type: 'string', format: 'email', minLength: 6, maxLength: 6 };
    const validate = ajv.compile(tight);
    const accepts = grammarFor(tight);
    const alphabet = ['a', '.', '@', '-'];
    let checked = 0;
    let valid = 0;
    const walk = (prefix: string): void => {
      if (prefix.length >= 5) {
        const v = validate(prefix);
        expect(accepts(prefix), JSON.stringify(prefix)).toBe(v);
        checked++;
        if (v) valid++;
      }
      if (prefix.length === 7) return;
      for (const c of alphabet) walk(prefix + c);
    };
    walk('');
    expect(checked).toBe(4 ** 5 + 4 ** 6 + 4 ** 7);
    expect(valid).toBeGreaterThanOrEqual(5); // aa@a.a, a@aa.a, a@a.aa, … — enough valid strings for the check to mean something
  });

  it('email bounded by maxLength only, and by minLength only', () => {
    for (const schema of [{ type: 'string', format: 'email', maxLength: 40 }, { type: 'string', format: 'email', minLength: 9 }]) {
      const accepts = grammarFor(schema);
      const validate = ajv.compile(schema);
      fc.assert(
        fc.property(fc.oneof(fc.emailAddress(), fc.string({ maxLength: 14 }), fc.emailAddress().map((e) => e.slice(0, 12)), fc.emailAddress().map((e) => e + 'x'.repeat(30))), (s) => {
          expect(accepts(s), `${JSON.stringify(schema)} on ${s}`).toBe(validate(s));
        }),
        { numRuns: 300, seed: 11 },
      );
    }
  });

  it('objects: required vs optional in order, additionalProperties', () => {
    const base = { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string' }, c: { type: 'boolean' } }, required: ['b'] };
    expectExact({ ...base, additionalProperties: false }, [{ b: '' }, { a: 1, b: 'x' }, { b: 'x', c: true }, { a: 1, b: 'x', c: false }], [{}, { a: 1 }, { b: 'x', d: 1 }, { b: 1 }]);
    expectExact(base, [{ b: 'x', zz: [1, { q: null }] }, { zz: 1, b: 'x' }, { a: 1, b: '', c: true, d: 'e' }], [{ b: 'x', a: 'no' }, { zz: 1 }, { b: 'x', c: 'str' }]);
    expectExact({ ...base, additionalProperties: { type: 'number' } }, [{ b: 'x', extra: 1.5 }], [{ b: 'x', extra: 'no' }]);
    expectExact({ type: 'object', patternProperties: { '^x-': { type: 'integer' } }, additionalProperties: false }, [{}, { 'x-a': 1 }], [{ y: 1 }, { 'x-a': 'b' }]);
    expectExact({ type: 'object', patternProperties: { '.*': { type: 'string' } } }, [{ a: 'b' }, {}], [{ a: 1 }]);
    expectExact({ type: 'object', minProperties: 1, properties: { a: { type: 'null' } }, additionalProperties: false }, [{ a: null }], [{}]);
  });

  it('dependencies / dependentRequired', () => {
    const s = { type: 'object', properties: { card: { type: 'string' }, billing: { type: 'string' } }, dependentRequired: { card: ['billing'] }, additionalProperties: false };
    expectExact(s, [{}, { billing: 'x' }, { card: 'c', billing: 'b' }], [{ card: 'c' }]);
  });

  it('arrays: items, prefixItems, bounds', () => {
    expectExact({ type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 3 }, [[1], [1, 2, 3]], [[], [1, 2, 3, 4], ['a']]);
    expectExact({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false }, [[], ['a'], ['a', 1]], [['a', 1, 2], [1]]);
    expectExact({ type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'boolean' }, minItems: 2 }, [['a', true], ['a', false, true]], [['a'], ['a', 1]]);
  });

  it('enum, const, anyOf, oneOf, allOf, $ref recursion, nullable', () => {
    expectExact({ enum: ['a', 1, null, { k: [1] }] }, ['a', 1, null, { k: [1] }], ['b', 2, { k: [2] }]);
    expectExact({ const: 'x' }, ['x'], ['y']);
    expectExact({ anyOf: [{ type: 'integer', maximum: 3 }, { type: 'integer', minimum: 10 }] }, [3, 10, -5], [4, 9]);
    expectExact({ oneOf: [{ type: 'string' }, { type: 'integer' }] }, ['a', 1], [null, 1.5]);
    expectExact({ allOf: [{ type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] }, { properties: { a: { minimum: 5 } } }] }, [{ a: 5 }], [{ a: 4 }, {}]);
    const tree = { $defs: { node: { type: 'object', properties: { v: { type: 'integer' }, kids: { type: 'array', items: { $ref: '#/$defs/node' } } }, required: ['v'], additionalProperties: false } }, $ref: '#/$defs/node' };
    expectExact(tree, [{ v: 1 }, { v: 1, kids: [{ v: 2, kids: [] }, { v: 3 }] }], [{ v: 1, kids: [{}] }, { kids: [] }]);
    const acc = grammarFor({ type: 'string', nullable: true });
    expect([acc('a'), acc(null), acc(1)]).toEqual([true, true, false]);
  });

  it('enum filtered through a conjunction with other keywords (ajv decides)', () => {
    expectExact({ allOf: [{ enum: [1, 'a', 5, 12] }, { type: 'integer', minimum: 2 }] }, [5, 12], [1, 'a']);
  });

  it('not: excluded types', () => {
    expectExact({ not: { type: 'string' } }, [1, null, []], ['a']);
  });

  it('pretty whitespace is bounded', () => {
    const g = checker.compile(compileJsonSchema({ type: 'object', properties: { a: { type: 'integer' } } }, { whitespace: { pretty: { indent: 2, maxNewlines: 1 } } }).gbnf);
    expect(g.accepts('{\n  "a": 1\n}')).toBe(true);
    expect(g.accepts('{"a":1}')).toBe(true);
    expect(g.accepts('{\n\n\n  "a": 1}')).toBe(false);
  });

  it('pretty whitespace: empty containers get one bounded run, not two', () => {
    const pretty: CompileJsonSchemaOptions = { whitespace: { pretty: { indent: 2, maxNewlines: 1 } } };
    const schemas = [
      { type: 'object', properties: { a: { type: 'integer' } } },
      { type: 'array', items: { type: 'integer' }, maxItems: 2 },
      { type: 'array', prefixItems: [{ type: 'integer' }], items: false },
      true,
    ];
    for (const schema of schemas) {
      const g = checker.compile(compileJsonSchema(schema, pretty).gbnf);
      const [open, close] = schema === true || (schema as { type: string }).type === 'array' ? ['[', ']'] : ['{', '}'];
      for (const ws of ['', ' ', '\n', '\n  ']) expect(g.accepts(`${open}${ws}${close}`), `${JSON.stringify(schema)} ${JSON.stringify(ws)}`).toBe(true);
      // the soak found `[ \n]` from two adjacent whitespace rules
      for (const ws of [' \n', '  ', '\n\n', '\n  \n', `\n${' '.repeat(21)}`]) expect(g.accepts(`${open}${ws}${close}`), `${JSON.stringify(schema)} ${JSON.stringify(ws)}`).toBe(false);
    }
    const arr = checker.compile(compileJsonSchema({ type: 'array', items: { type: 'integer' }, maxItems: 2 }, pretty).gbnf);
    expect(arr.accepts('[\n  1,\n  2\n]')).toBe(true);
    expect(arr.accepts('[ 1 , 2 ]')).toBe(true);
    expect(arr.accepts('[1,2,3]')).toBe(false);
    const tuple = checker.compile(compileJsonSchema({ type: 'array', prefixItems: [{ type: 'integer' }, { type: 'boolean' }], items: false, minItems: 1 }, pretty).gbnf);
    expect(tuple.accepts('[ 1 ]')).toBe(true);
    expect(tuple.accepts('[\n  1, true\n]')).toBe(true);
    expect(tuple.accepts('[ ]')).toBe(false);
    expect(tuple.accepts('[1,true,2]')).toBe(false);
  });

  it('anyJsonGbnf, compileZod, compileTools', () => {
    const any = checker.compile(anyJsonGbnf());
    expect(any.accepts('{"a":[1,2,{"b":null}],"c":"\\u0041"}')).toBe(true);
    expect(any.accepts('{"a":}')).toBe(false);
    const zg = checker.compile(compileZod(z.object({ name: z.string().max(5), age: z.number().int().min(0), tags: z.array(z.enum(['x', 'y'])).optional() })).gbnf);
    expect(zg.accepts('{"name":"bob","age":3}')).toBe(true);
    expect(zg.accepts('{"name":"bob","age":3,"tags":["x"]}')).toBe(true);
    expect(zg.accepts('{"name":"bobbybob","age":3}')).toBe(false);
    expect(zg.accepts('{"name":"bob","age":-1}')).toBe(false);
    expect(zg.accepts('{"name":"bob","age":3,"tags":["z"]}')).toBe(false);
    const tg = checker.compile(
      compileTools([
        { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } },
        { name: 'add', parameters: { type: 'object', properties: { a: { type: 'integer' }, b: { $ref: '#/$defs/n' } }, required: ['a', 'b'], $defs: { n: { type: 'integer' } } } },
      ]).gbnf,
    );
    expect(tg.accepts('{"name":"get_weather","arguments":{"city":"Oslo"}}')).toBe(true);
    expect(tg.accepts('{"name":"add","arguments":{"a":1,"b":2}}')).toBe(true);
    expect(tg.accepts('{"name":"add","arguments":{"city":"Oslo"}}')).toBe(false);
    expect(tg.accepts('{"name":"get_weather","arguments":{"a":1,"b":2}}')).toBe(false);
    expect(tg.accepts('{"name":"other","arguments":{}}')).toBe(false);
  });
});

describe('compileJsonSchema: property tests (grammar acceptance == ajv validity)', () => {
  const runs = { numRuns: 150, seed: 42 };

  it('integer ranges with random bounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5000, max: 5000 }), fc.integer({ min: 0, max: 5000 }), fc.array(fc.integer({ min: -20000, max: 20000 }), { minLength: 5, maxLength: 5 }), (lo, span, xs) => {
        const schema = { type: 'integer', minimum: lo, maximum: lo + span };
        const accepts = grammarFor(schema);
        const validate = ajv.compile(schema);
        for (const x of [...xs, lo, lo - 1, lo + span, lo + span + 1]) expect(accepts(x)).toBe(validate(x));
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('numbers with integer bounds: sound always, complete without exponent', () => {
    const schema = { type: 'number', exclusiveMinimum: -3, maximum: 40 };
    const accepts = grammarFor(schema);
    const validate = ajv.compile(schema);
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: -10, max: 50, noNaN: true }), fc.integer({ min: -10, max: 50 })), (x) => {
        const ok = validate(x);
        const acc = accepts(x);
        if (acc) expect(ok).toBe(true);
        if (ok && !/e/i.test(JSON.stringify(x))) expect(acc).toBe(true);
      }),
      runs,
    );
  });

  it('strings with length bounds over arbitrary unicode', () => {
    const schema = { type: 'string', minLength: 1, maxLength: 4 };
    const accepts = grammarFor(schema);
    const validate = ajv.compile(schema);
    fc.assert(fc.property(fc.string({ unit: fc.oneof(fc.constantFrom('a', '"', '\\', '\n', '\u0001', 'é', '😀', '\u2028')), maxLength: 6 }), (s) => {
      expect(accepts(s)).toBe(validate(s));
    }), runs);
  });

  it('objects with optional/required/extra keys', () => {
    const schema = {
      type: 'object',
      properties: { id: { type: 'integer', minimum: 1 }, name: { type: 'string', maxLength: 3 }, tags: { type: 'array', items: { enum: ['a', 'b'] }, maxItems: 2 } },
      required: ['id'],
      additionalProperties: { type: ['boolean', 'null'] },
    };
    const accepts = grammarFor(schema);
    const validate = ajv.compile(schema);
    const val = fc.oneof(fc.integer({ min: -2, max: 5 }), fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null), fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 }));
    fc.assert(
      fc.property(
        fc.record({ id: val, name: val, tags: val }, { requiredKeys: [] }),
        fc.dictionary(fc.constantFrom('x', 'y', 'id2', 'nam'), val, { maxKeys: 2 }),
        (known, extra) => {
          const v = { ...known, ...extra };
          expect(accepts(v)).toBe(validate(v));
        },
      ),
      runs,
    );
  });

  it('formats: sound on random and near-valid strings', () => {
    const near = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }))
      .map(([y, m, d, h, mi]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:00Z`);
    for (const format of ['date-time', 'date', 'time', 'ipv4', 'ipv6', 'email', 'hostname', 'uuid']) {
      const schema = { type: 'string', format };
      const accepts = grammarFor(schema);
      const validate = ajv.compile(schema);
      fc.assert(
        fc.property(fc.oneof(near, near.map((s) => s.slice(0, 10)), near.map((s) => s.slice(11)), fc.string({ maxLength: 12 }), fc.ipV4(), fc.ipV6(), fc.emailAddress(), fc.domain(), fc.uuid()), (s) => {
          const acc = accepts(s);
          if (acc) expect(validate(s), `${format} accepted ${s}`).toBe(true);
          if (format !== 'time' && format !== 'date-time' && format !== 'hostname' && validate(s)) expect(acc, `${format} rejected ${s}`).toBe(true);
        }),
        { numRuns: 120, seed: 3 },
      );
    }
  });
});

describe('compileJsonSchema: patternProperties unions', () => {
  it('several patterns sharing one schema with additionalProperties:false', () => {
    expectExact(
      { type: 'object', patternProperties: { '^a': { type: 'integer' }, 'z$': { type: 'integer' } }, additionalProperties: false },
      [{}, { ab: 1 }, { xz: 2, a: 3 }],
      [{ b: 1 }, { ab: 'x' }, { az: 'q' }],
    );
  });
});

describe('compileJsonSchema: not over required/properties', () => {
  it('not {required} = object missing one of them', () => {
    expectExact(
      { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } }, not: { required: ['a', 'b'] } },
      [{}, { a: 1 }, { b: 2 }],
      [{ a: 1, b: 2 }, { a: 'x' }],
    );
    expectExact({ not: { required: ['a'] } }, [{}, { b: 1 }], [{ a: 1 }, 1, 'x', null]);
  });
});
