import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrammarChecker, type CompiledGrammarCheck } from '../check/index.js';
import { CodePointSet } from './CodePointSet.js';
import { fragmentToGrammar } from './fragmentToGrammar.js';
import { parseRegex, type RegexNode } from './parseRegex.js';
import { legacyRegexCorpus, regexCorpus } from './regexCorpus.js';
import { regexToGbnf, type RegexToGbnfOptions } from './regexToGbnf.js';
import { sampleRegex } from './sampleRegex.js';
import { mulberry32 } from '../../../../shared/random/mulberry32.js';

let checker: GrammarChecker;
beforeAll(async () => {
  checker = await GrammarChecker.create({ threads: 2 });
});
afterAll(async () => {
  await checker?.dispose();
});

function compile(pattern: string, options: RegexToGbnfOptions = {}): CompiledGrammarCheck {
  return checker.compile(fragmentToGrammar(regexToGbnf(pattern, options)));
}

/** mulberry32: a tiny seeded PRNG so fast-check shrinks on a seed. */
const prng = mulberry32;

/**
 * Written out independently of parseRegex's tables, so a wrong `\s`/`\w`/`.` definition cannot hide: every
 * ECMAScript whitespace and line terminator, look-alikes that are NOT \s (U+0085, U+180E, U+200B), `\w`
 * boundaries, JSON specials, non-BMP.
 */
const INTERESTING = [
  '\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680', '\u2000', '\u2005', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff',
  '\u0085', '\u180e', '\u200b', '\u0000', '\u0008', '\u001f', '\u007f',
  '/', '0', '9', ':', '@', 'A', 'Z', '[', '_', '`', 'a', 'z', '{', '-', '.', '"', '\\', 'é', '€', '😀', '\u{10ffff}',
];

/** Characters near the pattern's own sets (range ends and neighbours), so random strings are near-misses. */
function alphabetOf(pattern: string): string[] {
  const points = new Set<number>([...INTERESTING].map((c) => c.codePointAt(0)!));
  const visit = (n: RegexNode): void => {
    if (n.type === 'set') {
      for (const [lo, hi] of n.set.ranges.slice(0, 12)) {
        for (const c of [lo - 1, lo, lo + 1, hi - 1, hi, hi + 1]) points.add(c);
      }
    } else if (n.type === 'seq') n.items.forEach(visit);
    else if (n.type === 'alt') n.alts.forEach(visit);
    else visit(n.node);
  };
  for (const alt of parseRegex(pattern).alternatives) visit(alt.node);
  const surrogates = CodePointSet.fromRanges([[0xd800, 0xdfff]]);
  return [...points].filter((c) => c >= 0 && c <= 0x10ffff && !surrogates.has(c)).map((c) => String.fromCodePoint(c));
}

/** Samples, mutated samples, strings over the pattern's alphabet, and arbitrary well-formed strings. */
function candidates(pattern: string, search: boolean): fc.Arbitrary<string> {
  const alphabet = alphabetOf(pattern);
  const sample = fc.integer().map((seed) => sampleRegex(pattern, prng(seed), { search }) ?? '');
  const mutated = fc
    .tuple(sample, fc.nat(), fc.constantFrom(...alphabet), fc.constantFrom('delete', 'insert', 'replace', 'double', 'truncate'))
    .map(([s, i, ch, op]) => {
      const cps = [...s];
      const at = cps.length === 0 ? 0 : i % cps.length;
      if (op === 'delete') cps.splice(at, 1);
      else if (op === 'insert') cps.splice(at, 0, ch);
      else if (op === 'replace') cps.splice(at, 1, ch);
      else if (op === 'double') cps.splice(at, 0, cps[at] ?? ch);
      else cps.length = at;
      return cps.join('');
    });
  const overAlphabet = fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }).map((a) => a.join(''));
  const arbitrary = fc.string({ unit: 'binary', maxLength: 8 }).filter((s) => !/[\uD800-\uDFFF]/u.test(s)); // no lone surrogates
  return fc.oneof({ arbitrary: sample, weight: 3 }, { arbitrary: mutated, weight: 3 }, { arbitrary: overAlphabet, weight: 2 }, { arbitrary: arbitrary, weight: 1 });
}

const RUNS = 120;

describe('regexToGbnf agrees with RegExp (llama.cpp grammar engine as judge)', () => {
  it.each(regexCorpus)('raw whole-match /%s/', (pattern) => {
    const check = compile(pattern);
    const re = new RegExp(`^(?:${pattern})$`, 'u');
    let positives = 0;
    fc.assert(
      fc.property(candidates(pattern, false), (s) => {
        const expected = re.test(s);
        if (expected) positives++;
        expect(check.accepts(s), JSON.stringify(s)).toBe(expected);
      }),
      { numRuns: RUNS, seed: 42 },
    );
    // every pattern with a non-empty language must have been exercised on positives too
    if (sampleRegex(pattern, prng(1)) !== undefined) expect(positives).toBeGreaterThan(0);
  });

  it.each(regexCorpus)('json-string /%s/: canonical encodings of matches, and only those', (pattern) => {
    const check = compile(pattern, { context: 'json-string' });
    const re = new RegExp(`^(?:${pattern})$`, 'u');
    fc.assert(
      fc.property(candidates(pattern, false), (s) => {
        const body = JSON.stringify(s).slice(1, -1);
        expect(check.accepts(body), body).toBe(re.test(s));
      }),
      { numRuns: RUNS / 2, seed: 7 },
    );
  });

  it.each(regexCorpus)('search /%s/ matches RegExp.test semantics', (pattern) => {
    const check = compile(pattern, { search: true });
    const re = new RegExp(pattern, 'u');
    fc.assert(
      fc.property(candidates(pattern, true), (s) => {
        expect(check.accepts(s), JSON.stringify(s)).toBe(re.test(s));
      }),
      { numRuns: RUNS / 2, seed: 9 },
    );
  });

  it.each(regexCorpus)('json-string + search /%s/', (pattern) => {
    const check = compile(pattern, { context: 'json-string', search: true });
    const re = new RegExp(pattern, 'u');
    fc.assert(
      fc.property(candidates(pattern, true), (s) => {
        const body = JSON.stringify(s).slice(1, -1);
        expect(check.accepts(body), body).toBe(re.test(s));
      }),
      { numRuns: RUNS / 4, seed: 13 },
    );
  });

  it.each(legacyRegexCorpus)('legacy (Annex B, no u flag) /%s/ on BMP strings', (pattern) => {
    const check = compile(pattern);
    const re = new RegExp(`^(?:${pattern})$`);
    fc.assert(
      fc.property(
        candidates(pattern, false).filter((s) => [...s].every((c) => c.length === 1)),
        (s) => {
          expect(check.accepts(s), JSON.stringify(s)).toBe(re.test(s));
        },
      ),
      { numRuns: RUNS, seed: 3 },
    );
  });
});

describe('json-string soundness', () => {
  const JSONISH = ['\\', '"', 'n', 't', 'u', '0', '1', '0', '0', 'a', 'b', 'f', 'e', 'A', ' ', '/', '\n'];
  it.each(['.*', '[^a]*', '\\s*', '[\\x00-\\x1f"\\\\]*', '\\W{0,6}', '(a"b|\\\\)*'])(
    'every accepted text of /%s/ is a canonical JSON string body whose decoding matches',
    (pattern) => {
      const check = compile(pattern, { context: 'json-string' });
      const re = new RegExp(`^(?:${pattern})$`, 'u');
      let accepted = 0;
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...JSONISH), { maxLength: 10 }), (chars) => {
          const text = chars.join('');
          if (!check.accepts(text)) return;
          accepted++;
          const decoded = JSON.parse(`"${text}"`) as string;
          expect(re.test(decoded)).toBe(true);
          expect(JSON.stringify(decoded).slice(1, -1)).toBe(text);
        }),
        { numRuns: 400, seed: 11 },
      );
      expect(accepted).toBeGreaterThan(0);
    },
  );

  it('never lets a raw quote, backslash or control character through', () => {
    const check = compile('.*', { context: 'json-string' });
    expect(check.accepts('a"b')).toBe(false);
    expect(check.accepts('a\\b')).toBe(true); // `\b` is the backspace escape
    expect(check.accepts('a\\')).toBe(false);
    expect(check.accepts('a\tb')).toBe(false);
    expect(check.accepts('a\\tb')).toBe(true);
    expect(check.accepts('\\u001f\\"\\\\')).toBe(true);
    expect(check.accepts('\\n')).toBe(false); // `.` excludes line feed
  });
});

describe('large bounded repeats', () => {
  it('\\w{1,1000} accepts exactly 1..1000 word characters', () => {
    const check = compile('\\w{1,1000}');
    expect(check.accepts('')).toBe(false);
    expect(check.accepts('a')).toBe(true);
    expect(check.accepts('_'.repeat(1000))).toBe(true);
    expect(check.accepts('Z'.repeat(1001))).toBe(false);
    expect(check.accepts('a'.repeat(500) + '-')).toBe(false);
  });

  it('a{0,200} and (ab){2,150}c', () => {
    const a = compile('a{0,200}');
    expect([0, 1, 199, 200, 201].map((n) => a.accepts('a'.repeat(n)))).toEqual([true, true, true, true, false]);
    const ab = compile('(ab){2,150}c');
    expect([1, 2, 150, 151].map((n) => ab.accepts('ab'.repeat(n) + 'c'))).toEqual([false, true, true, false]);
  });
});

describe('several patterns in one grammar', () => {
  it('distinct rulePrefixes keep the fragments independent', () => {
    const a = regexToGbnf('\\d{1,3}(\\.\\d{1,3}){3}', { rulePrefix: 'ip' });
    const b = regexToGbnf('[a-z]{2,4}', { rulePrefix: 'tld', search: true });
    const rules = [...a.rules, ...b.rules];
    expect(new Set(rules.map(([name]) => name)).size).toBe(rules.length);
    const gbnf = [`root ::= ${a.expr} "|" ${b.expr}`, ...rules.map(([n, body]) => `${n} ::= ${body}`)].join('\n');
    const check = checker.compile(gbnf);
    expect(check.accepts('10.0.255.1|xx.com!')).toBe(true);
    expect(check.accepts('10.0.2551.1|com')).toBe(false);
    expect(check.accepts('10.0.1.1|C0M')).toBe(false);
  });
});
