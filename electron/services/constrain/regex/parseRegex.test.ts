import { describe, expect, it } from 'vitest';
import { CodePointSet } from './CodePointSet.js';
import { DIGIT, DOT, parseRegex, SPACE, WORD } from './parseRegex.js';

describe('class tables equal the JS engine on every code point', () => {
  it.each([
    ['\\d', DIGIT],
    ['\\w', WORD],
    ['\\s', SPACE],
    ['.', DOT],
  ] as const)('%s', (source, set) => {
    const re = new RegExp(`^${source}$`, 'u');
    const mismatches: number[] = [];
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      if (re.test(String.fromCodePoint(c)) !== set.has(c)) mismatches.push(c);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('parseRegex', () => {
  it('folds groups away, treats lazy as greedy, keeps anchors per top-level alternative', () => {
    const p = parseRegex('^(?<y>a)+?|(?:b){2,3}$');
    expect(p.alternatives).toEqual([
      { node: { type: 'repeat', node: { type: 'set', set: CodePointSet.of(0x61) }, min: 1, max: Infinity }, anchoredStart: true, anchoredEnd: false },
      { node: { type: 'repeat', node: { type: 'set', set: CodePointSet.of(0x62) }, min: 2, max: 3 }, anchoredStart: false, anchoredEnd: true },
    ]);
  });

  it('reads code points: surrogate pairs in source and in \\u escapes, \\u{…}', () => {
    for (const source of ['😀', '\\uD83D\\uDE00', '\\u{1F600}']) {
      expect(parseRegex(source).alternatives[0]!.node).toEqual({ type: 'set', set: CodePointSet.of(0x1f600) });
    }
  });

  it('folds class escapes and negation by set algebra', () => {
    const node = parseRegex('[^\\S\\n]').alternatives[0]!.node;
    expect(node.type === 'set' && node.set.ranges).toEqual(SPACE.minus(CodePointSet.of(0x0a)).ranges);
    const backspace = parseRegex('[\\b]').alternatives[0]!.node;
    expect(backspace.type === 'set' && backspace.set.single).toBe(0x08);
  });

  it('keeps Annex B literals: lone braces and brackets, [\\d-z]', () => {
    expect(parseRegex('x{').alternatives[0]!.node).toEqual({
      type: 'seq',
      items: [{ type: 'set', set: CodePointSet.of(0x78) }, { type: 'set', set: CodePointSet.of(0x7b) }],
    });
    const cls = parseRegex('[\\d-z]').alternatives[0]!.node;
    expect(cls.type === 'set' && cls.set.ranges).toEqual(DIGIT.union(CodePointSet.of(0x2d, 0x7a)).ranges);
  });
});
