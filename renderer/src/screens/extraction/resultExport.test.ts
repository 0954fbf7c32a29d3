import { describe, expect, it } from 'vitest';
import { fieldChecks, toCsv } from './resultExport.js';

describe('toCsv', () => {
  it('writes a header and a row in schema order, escaping commas, quotes and newlines, nesting as JSON', () => {
    const csv = toCsv({ b: 'x, "y"', a: 1, c: { d: [1, 2] }, e: 'two\nlines', f: null }, ['a', 'b', 'zzz']);
    expect(csv).toBe('a,b,c,e,f\r\n1,"x, ""y""","{""d"":[1,2]}","two\nlines",\r\n');
  });
  it('one row per object of an array, and a value column for scalars', () => {
    expect(toCsv([{ a: 1 }, { a: 2, b: true }])).toBe('a,b\r\n1,\r\n2,true\r\n');
    expect(toCsv('AB-1234')).toBe('value\r\nAB-1234\r\n');
  });
});

describe('fieldChecks', () => {
  const schema = {
    type: 'object',
    properties: { n: { type: 'integer', minimum: 0 }, s: { type: 'string', pattern: '^[A-Z]+$' }, opt: { type: 'boolean' }, req: { enum: ['x'] } },
    required: ['n', 's', 'req'],
  };
  it('marks each property ok, invalid, missing or absent', () => {
    expect(fieldChecks(schema, { n: 3, s: 'abc' })).toEqual([
      { field: 'n', state: 'ok', note: 'integer · minimum 0' },
      { field: 's', state: 'invalid', note: 'does not match ^[A-Z]+$' },
      { field: 'opt', state: 'absent', note: 'optional, not present' },
      { field: 'req', state: 'missing', note: 'required but not present' },
    ]);
    expect(fieldChecks(schema, { n: 1.5, s: 'A', req: 'x' }).map((c) => c.state)).toEqual(['invalid', 'ok', 'absent', 'ok']);
  });
  it('has nothing to say about non-object schemas', () => {
    expect(fieldChecks({ type: 'string' }, 'a')).toEqual([]);
  });
});
