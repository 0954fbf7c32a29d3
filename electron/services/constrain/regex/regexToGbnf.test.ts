import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors.js';
import { fragmentToGrammar } from './fragmentToGrammar.js';
import { RegexUnsupportedError } from './RegexUnsupportedError.js';
import { regexToGbnf } from './regexToGbnf.js';

function unsupported(pattern: string): RegexUnsupportedError {
  try {
    regexToGbnf(pattern);
  } catch (e) {
    expect(e).toBeInstanceOf(RegexUnsupportedError);
    expect(e).toBeInstanceOf(AppError);
    return e as RegexUnsupportedError;
  }
  throw new Error(`expected /${pattern}/ to be refused`);
}

describe('regexToGbnf refuses what GBNF cannot express exactly', () => {
  it.each([
    ['(a)\\1', 'backreference', 3],
    ['(?<x>a)\\k<x>', 'backreference', 7],
    ['a(?=b)', 'lookahead', 1],
    ['a(?!b)', 'lookahead', 1],
    ['(?<=a)b', 'lookbehind', 0],
    ['(?<!a)b', 'lookbehind', 0],
    ['\\bword', 'word-boundary', 0],
    ['a\\Bb', 'word-boundary', 1],
    ['a^b', 'anchor', 1],
    ['a$b', 'anchor', 1],
    ['(^a)', 'anchor', 1],
    ['(a$)', 'anchor', 2],
    ['\\p{L}+', 'unicode-property', 0],
    ['[\\P{L}]', 'unicode-property', 1],
    ['(?i:a)', 'modifiers', 0],
    ['\\01', 'octal-escape', 0],
    ['[\\1]', 'octal-escape', 1],
    ['(a', 'syntax', 0],
    ['a)', 'syntax', 1],
    ['*a', 'syntax', 0],
    ['a**', 'syntax', 2],
    ['{2}', 'syntax', 0],
    ['[b-a]', 'syntax', 2],
    ['a{3,2}', 'syntax', 1],
    ['[abc', 'syntax', 0],
    ['\\', 'syntax', 0],
    ['\\q', 'syntax', 0],
    ['\\xZZ', 'syntax', 0],
    ['\\u{110000}', 'syntax', 0],
    ['a{0,10001}', 'syntax', 1],
  ] as const)('/%s/ → %s at %i', (pattern, feature, index) => {
    const e = unsupported(pattern);
    expect(e.code).toBe('REGEX_UNSUPPORTED');
    expect(e.feature).toBe(feature);
    expect(e.index).toBe(index);
    expect(e.details).toEqual({ pattern, feature, index });
  });

  it('rejects rule prefixes GBNF cannot name', () => {
    expect(() => regexToGbnf('a{2,5}', { rulePrefix: 'my_rule' })).toThrow(/rulePrefix/);
  });
});

describe('regexToGbnf output shape', () => {
  it('uses rulePrefix for every extra rule', () => {
    const f = regexToGbnf('a{0,5}b+', { rulePrefix: 'email-pattern' });
    expect(f.rules.size).toBeGreaterThan(0);
    for (const name of f.rules.keys()) expect(name).toMatch(/^email-pattern-\d+$/);
  });

  it('writes negated classes as GBNF [^…] when all exclusions are ASCII', () => {
    expect(regexToGbnf('[^abc]').expr).toBe('[^a-c]');
    expect(regexToGbnf('\\D').expr).toBe('[^0-9]');
    expect(regexToGbnf('[^"\\\\]').expr).toBe('[^\\x22\\x5C]');
  });

  it('writes non-ASCII exclusions positively (llama.cpp partial-UTF-8 check of [^…] is over-strict)', () => {
    expect(regexToGbnf('.').expr).toBe('[\\x00-\\x09\\x0B\\x0C\\x0E-\\u2027\\u202A-\\U0010FFFF]');
    expect(regexToGbnf('[^é]').expr).toBe('[\\x00-\\xE8\\xEA-\\U0010FFFF]');
  });

  it('escapes GBNF metacharacters inside classes and literals', () => {
    expect(regexToGbnf('[\\]\\\\^-]').expr).toBe('[\\x2D\\x5C-\\x5E]');
    expect(regexToGbnf('"\\\\\\n').expr).toBe('"\\"\\\\\\x0A"');
    expect(regexToGbnf('\\u{1F600}é').expr).toBe('"\\U0001F600\\xE9"');
  });

  it('emits JSON escapes in json-string context', () => {
    expect(regexToGbnf('"\\n', { context: 'json-string' }).expr).toBe('"\\\\\\"\\\\n"');
  });

  it('makes a complete grammar with fragmentToGrammar', () => {
    const g = fragmentToGrammar(regexToGbnf('x{0,2}', { rulePrefix: 'p' }));
    expect(g).toBe('root ::= p-2\np-1 ::= "x"?\np-2 ::= ("x" p-1)?\n');
  });
});

describe('grammar size stays linear in repeat bounds', () => {
  const size = (p: string): number => fragmentToGrammar(regexToGbnf(p)).length;

  it('\\w{1,1000} is about 10x \\w{1,100} and 2x \\w{1,500}', () => {
    const s100 = size('\\w{1,100}');
    const s500 = size('\\w{1,500}');
    const s1000 = size('\\w{1,1000}');
    expect(s1000 / s100).toBeGreaterThan(8);
    expect(s1000 / s100).toBeLessThan(12);
    expect(s1000 / s500).toBeGreaterThan(1.8);
    expect(s1000 / s500).toBeLessThan(2.2);
    expect(s1000).toBeLessThan(40_000);
  });

  it('nested repeats multiply, never exponentiate', () => {
    expect(size('((ab){0,20}c){0,20}')).toBeLessThan(5_000);
    expect(size('(([a-z]{1,30})\\.){0,30}')).toBeLessThan(8_000);
    // nullable star bodies are rewritten to their non-empty part; shared subtrees are emitted once
    const once = size('b{0,100}');
    expect(size('(a?b{0,100})*')).toBeLessThan(2 * once);
    expect(size('((a?b{0,100})*c?)*')).toBeLessThan(3 * once);
  });
});
