import Ajv from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchTasks } from './batchTasks.js';
import { splitBatch } from './splitBatch.js';

describe('batchTasks / splitBatch', () => {
  it('builds one prompt and an exact-N schema; split returns the N results in order', () => {
    const b = batchTasks(['Translate "cat" to French', 'Translate "dog" to French', 'Translate "bird" to French'], { instructions: 'Answer with one word.' });
    expect(b.count).toBe(3);
    expect(b.schema).toEqual({ type: 'array', minItems: 3, maxItems: 3, items: { type: 'string' } });
    expect(b.prompt).toMatch(/^Answer with one word\./);
    expect(b.prompt).toContain('exactly 3 elements');
    expect(b.prompt).toContain('Task 3: Translate "bird" to French');
    const validate = new Ajv().compile(b.schema);
    expect(validate(['chat', 'chien', 'oiseau'])).toBe(true);
    expect(validate(['chat', 'chien'])).toBe(false);
    expect(splitBatch('["chat", "chien", "oiseau"]', 3)).toEqual(['chat', 'chien', 'oiseau']);
    expect(splitBatch('{"results": ["chat", "chien", "oiseau"]}', 3)).toEqual(['chat', 'chien', 'oiseau']);
    expect(splitBatch('```json\n["a","b","c"]\n```', 3)).toEqual(['a', 'b', 'c']);
  });

  it('refuses anything that is not exactly N results', () => {
    expect(() => splitBatch('["a","b"]', 3)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', details: { expected: 3, got: 2 } }));
    expect(() => splitBatch('["a","b","c","d"]', 3)).toThrow(expect.objectContaining({ details: { expected: 3, got: 4 } }));
    expect(() => splitBatch('"a, b, c"', 3)).toThrow(/not a JSON array/);
    expect(() => splitBatch('[1, 2,', 3)).toThrow(/not JSON/);
    expect(() => batchTasks([])).toThrow(RangeError);
  });

  it('the GBNF root unrolls exactly N elements', () => {
    const g = batchTasks(['a', 'b', 'c', 'd']).grammar;
    const root = g.split('\n')[0]!;
    expect(root).toBe('root ::= "[" ws string "," ws string "," ws string "," ws string ws "]"');
    expect(batchTasks(['a'], { itemSchema: { type: 'object' } }).grammar.split('\n')[0]).toBe('root ::= "[" ws value ws "]"');
  });

  const ajv = new Ajv();
  it('property: any N results serialised as the schema says split back exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.integer(), fc.dictionary(fc.string(), fc.string())), { minLength: 1, maxLength: 40 }), (results) => {
        const b = batchTasks(results.map((_, i) => `task ${i}`), { itemSchema: {} });
        expect(ajv.validate(b.schema, results)).toBe(true);
        expect(splitBatch(JSON.stringify(results, null, 1), b.count)).toEqual(results);
      }),
      { numRuns: 60, seed: 5 },
    );
  });
});
