import { getLlama, LlamaGrammar } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrammarChecker } from './GrammarChecker.js';
import { GrammarInvalidError } from './GrammarInvalidError.js';

let checker: GrammarChecker;
beforeAll(async () => {
  checker = await GrammarChecker.create({ threads: 2 });
});
afterAll(async () => {
  await checker?.dispose();
});

const accepts = (gbnf: string, text: string): boolean => checker.compile(gbnf).accepts(text);

function invalid(gbnf: string): GrammarInvalidError {
  try {
    checker.compile(gbnf);
  } catch (e) {
    expect(e).toBeInstanceOf(GrammarInvalidError);
    return e as GrammarInvalidError;
  }
  throw new Error('expected the grammar to be refused');
}

describe('node-llama-cpp internals GrammarChecker relies on (fails loudly on upgrade)', () => {
  it('LlamaGrammar wraps an addon grammar with isTextCompatible, and the sampler statics exist', async () => {
    const llama = await getLlama({ gpu: false, build: 'never', maxThreads: 2 });
    try {
      const grammar = new LlamaGrammar(llama, { grammar: 'root ::= "ok"' });
      const addon = (grammar as unknown as { _grammar: { isTextCompatible: (t: string) => boolean } })._grammar;
      expect(typeof addon.isTextCompatible).toBe('function');
      expect(addon.isTextCompatible('ok')).toBe(true);
      expect(addon.isTextCompatible('o')).toBe(false);
      const sampler = (llama as unknown as { _bindings: { AddonSampler: Record<string, unknown> } })._bindings.AddonSampler;
      expect(typeof sampler.canBeNextTokenForGrammarEvaluationState).toBe('function');
      expect(typeof sampler.acceptGrammarEvaluationStateToken).toBe('function');
    } finally {
      await llama.dispose();
    }
  });
});

describe('GrammarChecker.accepts judges whole texts', () => {
  it('needs the root to match the whole text: no prefixes, no trailing text', () => {
    const g = checker.compile('root ::= "ab" [0-9]+');
    expect(g.accepts('ab1')).toBe(true);
    expect(g.accepts('ab123')).toBe(true);
    expect(g.accepts('ab')).toBe(false);
    expect(g.accepts('a')).toBe(false);
    expect(g.accepts('ab1x')).toBe(false);
    expect(g.accepts('xab1')).toBe(false);
  });

  it('uses a custom root rule name', () => {
    expect(checker.compile('start ::= "s" other\nother ::= "o"', 'start').accepts('so')).toBe(true);
  });

  it('empty text: accepted iff the root derives ε', () => {
    expect(accepts('root ::= ""', '')).toBe(true);
    expect(accepts('root ::= "a"?', '')).toBe(true);
    expect(accepts('root ::= "a"*', '')).toBe(true);
    expect(accepts('root ::= "a"', '')).toBe(false);
    expect(accepts('root ::= ""', 'a')).toBe(false);
  });

  it('non-BMP characters are single code points; lone surrogates arrive as U+FFFD', () => {
    expect(accepts('root ::= [\\U0001F600-\\U0001F64F]+', '😀🙏')).toBe(true);
    expect(accepts('root ::= [\\U0001F600-\\U0001F64F]', '😀😀')).toBe(false);
    expect(accepts('root ::= "😀" [^a]', '😀🚀')).toBe(true);
    expect(accepts('root ::= [^a]', '😀')).toBe(true); // one code point, not two UTF-16 units
    expect(accepts('root ::= [^a] [^a]', '😀')).toBe(false);
    expect(accepts('root ::= "\\uFFFD"', '\ud800')).toBe(true);
  });

  it('U+0000 and other controls are ordinary code points', () => {
    expect(accepts('root ::= "\\x00" [\\x01-\\x1F]', '\u0000\u001f')).toBe(true);
    expect(accepts('root ::= "a" "\\x00"?', 'a')).toBe(true);
    expect(accepts('root ::= "a"', 'a\u0000')).toBe(false);
  });

  it('ambiguous grammars work (stacks are deduplicated) and stay fast', () => {
    const g = checker.compile('root ::= ("a" | "a" | [a-z])* ("a" | "aa")*');
    const t0 = performance.now();
    expect(g.accepts('a'.repeat(300))).toBe(true);
    expect(g.accepts('a'.repeat(299) + '!')).toBe(false);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(accepts('root ::= x x\nx ::= "a"*', 'aaaa')).toBe(true);
  });

  it('is fast on small grammars (~µs per check)', () => {
    const g = checker.compile('root ::= [A-Z] [A-Z] [0-9] [0-9] [0-9] [0-9]');
    const times: number[] = [];
    for (let i = 0; i < 2_000; i++) {
      const t0 = performance.now();
      g.accepts(i % 2 === 0 ? 'AB1234' : 'AB12x4');
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const p50 = times[1_000]!;
    console.log(`GrammarChecker.accepts p50 = ${(p50 * 1000).toFixed(1)} µs`);
    expect(p50).toBeLessThan(1);
  });
});

describe('GrammarChecker.compile refuses bad grammars with GrammarInvalidError', () => {
  it('undefined rule', () => {
    const e = invalid('root ::= foo');
    expect(e.code).toBe('GRAMMAR_INVALID');
    expect(e.reason).toBe('undefined rule "foo"');
  });

  it('missing root', () => {
    expect(invalid('start ::= "a"').reason).toBe('no rule named "root"');
  });

  it('syntax errors', () => {
    expect(invalid('root ::= "abc').reason).toMatch(/^unterminated string at line 1/);
    expect(invalid('root ::= [a-').reason).toMatch(/^unterminated character class/);
    expect(invalid('root ::= "a" | | )').reason).toMatch(/^unexpected "\)"/);
    expect(invalid('root ::= "\\q"').reason).toMatch(/^unknown escape \\q/);
    expect(invalid('root ::= "a"\nx := "b"').reason).toMatch(/^expected ::= at line 2/);
  });

  it('left recursion (direct and indirect) is refused, with the cycle named', () => {
    expect(invalid('root ::= root "a" | "b"').reason).toBe('left recursion: root → root');
    expect(invalid('root ::= a\na ::= b "x" | "y"\nb ::= a?').reason).toBe('left recursion: a → b → a');
    // left-recursive only after llama.cpp's own `*` rewrite of a nullable body: accepted, and works
    expect(accepts('root ::= ("a"?)* "b"', 'aab')).toBe(true);
    expect(accepts('root ::= ("a"?)* "b"', 'aa')).toBe(false);
    // right recursion is fine
    expect(accepts('root ::= "a" root | "b"', 'aaab')).toBe(true);
  });
});

describe('lifecycle', () => {
  it('dispose is idempotent and use after dispose throws', async () => {
    const c = await GrammarChecker.create({ threads: 2 });
    const g = c.compile('root ::= "x"');
    await c.dispose();
    await c.dispose();
    expect(() => g.accepts('x')).toThrow(/disposed/);
    expect(() => c.compile('root ::= "x"')).toThrow(/disposed/);
  });
});
