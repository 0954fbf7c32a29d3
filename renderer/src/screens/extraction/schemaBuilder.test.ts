import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { fieldProblems, newField, objectSchema, starterFields, withType } from './schemaBuilder.js';

describe('schemaBuilder', () => {
  it('turns fields into a closed object schema with constraints, descriptions and required', () => {
    const fields = [
      newField({ name: 'code', pattern: '^[A-Z]{2}$', min: '2', max: '2', description: ' Country code ' }),
      newField({ name: 'n', type: 'integer', min: '0', max: '9', required: false }),
      newField({ name: 'tag', type: 'enum', enumValues: 'a, b, a, ,c' }),
      { ...withType(newField({ name: 'list' }), 'array'), min: '1' },
      withType(newField({ name: 'inner' }), 'object'),
    ];
    expect(objectSchema(fields)).toEqual({
      type: 'object',
      properties: {
        code: { type: 'string', minLength: 2, maxLength: 2, pattern: '^[A-Z]{2}$', description: 'Country code' },
        n: { type: 'integer', minimum: 0, maximum: 9 },
        tag: { enum: ['a', 'b', 'c'] },
        list: { type: 'array', items: { type: 'string' }, minItems: 1 },
        inner: { type: 'object', properties: { value: { type: 'string' } }, required: ['value'], additionalProperties: false },
      },
      required: ['code', 'tag', 'list', 'inner'],
      additionalProperties: false,
    });
  });

  it('the starter schema is a valid JSON Schema that accepts a matching value and rejects a wrong one', () => {
    const validate = new Ajv({ strict: true }).addFormat('date', /^\d{4}-\d{2}-\d{2}$/).compile(objectSchema(starterFields()));
    const good = { company: 'Acme', orderId: 'AB-1234', orderDate: '2026-01-02', status: 'open', quantity: 3 };
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, quantity: 0 })).toBe(false);
    expect(validate({ ...good, extra: 1 })).toBe(false);
  });

  it('names the problem on the field that has it, including nested ones', () => {
    const dup = newField({ name: 'a' });
    const bad = withType(newField({ name: 'obj' }), 'object');
    bad.children[0]!.name = '9lives';
    const fields = [
      newField({ name: 'a' }),
      dup,
      newField({ name: 'range', type: 'number', min: '5', max: '1' }),
      newField({ name: 'e', type: 'enum', enumValues: ' , ' }),
      newField({ name: 'p', pattern: '(' }),
      bad,
    ];
    const problems = fieldProblems(fields);
    expect(problems.get(dup.id)).toMatch(/used twice/);
    expect(problems.get(fields[2]!.id)).toMatch(/above max/);
    expect(problems.get(fields[3]!.id)).toMatch(/at least one value/);
    expect(problems.get(fields[4]!.id)).toMatch(/^Pattern:/);
    expect(problems.get(bad.children[0]!.id)).toMatch(/start with a letter/);
    expect(problems.has(fields[0]!.id)).toBe(false);
    expect(fieldProblems(starterFields()).size).toBe(0);
  });
});
