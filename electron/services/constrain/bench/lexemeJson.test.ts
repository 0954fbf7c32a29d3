import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lexemeMember, parseLexemeJson, stringifyLexemeJson } from './lexemeJson.js';

describe('lexemeJson', () => {
  it('keeps number lexemes and key order', () => {
    const t = parseLexemeJson('{ "b": 12345.0, "1": [1E+2, -0, "x\\u0041"], "a": {"z": true, "y": null} }');
    expect(stringifyLexemeJson(t)).toBe('{"b":12345.0,"1":[1E+2,-0,"xA"],"a":{"z":true,"y":null}}');
    expect(lexemeMember(t, 'a')?.kind).toBe('object');
    expect(lexemeMember(t, 'missing')).toBeUndefined();
  });

  it('agrees with JSON.stringify on JSON.stringify output', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        expect(stringifyLexemeJson(parseLexemeJson(text))).toBe(text);
      }),
      { numRuns: 200, seed: 1 },
    );
  });

  it('rejects malformed JSON', () => {
    for (const bad of ['{', '[1,]', '{"a" 1}', '01', 'tru', '1 2']) expect(() => parseLexemeJson(bad), bad).toThrow(SyntaxError);
  });
});
