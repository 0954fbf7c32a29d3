import { describe, expect, it } from 'vitest';
import { parsePartialJson } from './parsePartialJson.js';

describe('parsePartialJson', () => {
  it('gives the best value of each prefix of a real document', () => {
    expect(parsePartialJson('')).toBeUndefined();
    expect(parsePartialJson('{')).toEqual({});
    expect(parsePartialJson('{"name":"Ad')).toEqual({ name: 'Ad' });
    expect(parsePartialJson('{"name":"Ada","age":3')).toEqual({ name: 'Ada', age: 3 });
    expect(parsePartialJson('{"name":"Ada","ag')).toEqual({ name: 'Ada' });
    expect(parsePartialJson('{"name":"Ada","age":')).toEqual({ name: 'Ada' });
    expect(parsePartialJson('{"tags":["a","b')).toEqual({ tags: ['a', 'b'] });
    expect(parsePartialJson('{"ok":tr')).toEqual({});
    expect(parsePartialJson('{"q":"say \\"hi')).toEqual({ q: 'say "hi' });
  });

  it('agrees with JSON.parse on every complete document', () => {
    const doc = { a: [1, { b: 'x\ny' }, null], c: true, d: -1.5e3 };
    expect(parsePartialJson(JSON.stringify(doc))).toEqual(doc);
    const text = JSON.stringify(doc);
    for (let i = 1; i <= text.length; i += 1) expect(() => parsePartialJson(text.slice(0, i))).not.toThrow();
  });
});
