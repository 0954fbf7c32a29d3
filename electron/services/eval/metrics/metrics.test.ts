import { describe, expect, it } from 'vitest';
import { fieldF1 } from './fieldF1.js';
import { jsonValid, schemaValid } from './jsonMetrics.js';
import { numericTolerance, parseFirstNumber } from './numericTolerance.js';
import { costMetric, latencyMetric, LedgerRowMissingError } from './operationalMetrics.js';
import { contains, exactMatch, inSet, normalizeSquad, normalizedMatch, regexMatch, tokenF1 } from './textMetrics.js';

describe('text metrics', () => {
  it('exact match trims only', () => {
    expect(exactMatch('Paris\n', 'Paris').pass).toBe(true);
    expect(exactMatch('paris', 'Paris').pass).toBe(false);
  });
  it('SQuAD normalisation drops case, punctuation, articles, extra spaces', () => {
    expect(normalizeSquad('  The  Eiffel-Tower!  ')).toBe('eiffeltower');
    expect(normalizedMatch('the Paris.', 'paris').pass).toBe(true);
    expect(normalizedMatch('Paris, France', 'Paris').pass).toBe(false);
  });
  it('token F1 gives partial credit (SQuAD example arithmetic)', () => {
    // pred tokens [paris, france], gold [paris] → P = 1/2, R = 1 → F1 = 2/3
    expect(tokenF1('Paris, France', 'Paris').score).toBeCloseTo(2 / 3, 12);
    expect(tokenF1('', 'x').score).toBe(0);
  });
  it('in-set, regex, contains', () => {
    expect(inSet('Positive.', ['positive', 'negative']).pass).toBe(true);
    expect(inSet('Positive.', ['positive'], { exact: true }).pass).toBe(false);
    expect(regexMatch('Order #123', '#\\d+$').pass).toBe(true);
    expect(regexMatch('Order #12a', /#\d+$/g).pass).toBe(false);
    expect(contains('Hello World', 'world').pass).toBe(true);
    expect(contains('Hello World', 'world', { caseSensitive: true }).pass).toBe(false);
  });
});

describe('JSON metrics', () => {
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { email: { type: 'string', format: 'email' }, items: { type: 'array', prefixItems: [{ type: 'integer' }] } },
    required: ['email'],
  };
  it('json-valid accepts fenced JSON and reports the parse error', () => {
    expect(jsonValid('```json\n{"a":1}\n```').pass).toBe(true);
    const bad = jsonValid('{"a":');
    expect(bad.pass).toBe(false);
    expect(bad.reason).toBeTruthy();
  });
  it('schema-valid uses draft 2020 keywords and formats', () => {
    expect(schemaValid('{"email":"a@b.co","items":[1]}', schema).pass).toBe(true);
    const r = schemaValid('{"email":"not-an-email"}', schema);
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/\/email.*format/);
    expect(schemaValid('{"email":"a@b.co","items":["x"]}', schema).reason).toMatch(/\/items\/0/);
    expect(schemaValid({ value: { email: 'x@y.org' } }, schema).pass).toBe(true);
    expect(schemaValid('nope', schema).reason).toMatch(/not JSON/);
  });
});

describe('fieldF1', () => {
  it('scores flattened leaf facts; a wrong value is one FP and one FN', () => {
    const s = fieldF1({ name: 'ACME', total: 10, address: { city: 'Oslo' } }, { name: 'acme ', total: 12, address: { city: 'Oslo' } });
    expect(s.matched).toBe(2);
    expect(s.precision).toBeCloseTo(2 / 3, 12);
    expect(s.recall).toBeCloseTo(2 / 3, 12);
    expect(s.byField.total).toEqual({ tp: 0, fp: 1, fn: 1 });
    expect(s.byField.address).toEqual({ tp: 1, fp: 0, fn: 0 });
  });
  it('arrays: multiset ignores order, indexed does not', () => {
    const pred = { tags: ['b', 'a', 'a'] };
    const gold = { tags: ['a', 'b'] };
    const m = fieldF1(pred, gold);
    expect([m.matched, m.predicted, m.expected]).toEqual([2, 3, 2]);
    expect(m.f1).toBeCloseTo(0.8, 12);
    const ix = fieldF1(pred, gold, { arrays: 'indexed' });
    expect(ix.matched).toBe(0);
  });
  it('missing fields lower recall only; empty vs empty is perfect; nothing vs something is 0', () => {
    const s = fieldF1({ a: 1 }, { a: 1, b: 2 });
    expect([s.precision, s.recall]).toEqual([1, 0.5]);
    expect(fieldF1({}, {}).f1).toBe(1);
    expect(fieldF1({}, { a: 1 }).f1).toBe(0);
  });
});

describe('numeric, latency, cost', () => {
  it('parses numbers from text and applies abs/rel tolerance', () => {
    expect(parseFirstNumber('Total: $1,234.50 due')).toBe(1234.5);
    expect(parseFirstNumber('none')).toBeUndefined();
    expect(numericTolerance('about 99.5', 100, { abs: 0.5 }).pass).toBe(true);
    expect(numericTolerance('99.4', 100, { abs: 0.5 }).pass).toBe(false);
    expect(numericTolerance(101, 100, { rel: 0.01 }).pass).toBe(true);
    expect(numericTolerance(90, 100).score).toBeCloseTo(0.9, 12);
    expect(numericTolerance('n/a', 1).pass).toBe(false);
  });
  it('latency passes through and checks a bound', () => {
    expect(latencyMetric(120)).toEqual({ metric: 'latency-ms', pass: true, score: 120 });
    expect(latencyMetric(120, { maxMs: 100 }).pass).toBe(false);
    expect(() => latencyMetric(-1)).toThrow(RangeError);
  });
  it('cost comes from the injected ledger lookup; a missing row is an error, not $0', async () => {
    const rows = new Map([['r1', { costMicros: 2500 }]]);
    const lookup = async (id: string) => rows.get(id);
    expect(await costMetric('r1', lookup, { maxUsd: 0.01 })).toEqual({ metric: 'cost-usd', pass: true, score: 0.0025 });
    expect((await costMetric('r1', lookup, { maxUsd: 0.001 })).pass).toBe(false);
    await expect(costMetric('nope', lookup)).rejects.toBeInstanceOf(LedgerRowMissingError);
  });
});
