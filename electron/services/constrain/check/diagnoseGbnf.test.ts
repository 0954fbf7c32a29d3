import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fragmentToGrammar, regexToGbnf } from '../regex/index.js';
import { regexCorpus } from '../regex/regexCorpus.js';
import { diagnoseGbnf } from './diagnoseGbnf.js';

describe('diagnoseGbnf', () => {
  it('finds nothing wrong in valid grammars (no false alarms)', () => {
    for (const pattern of regexCorpus) {
      for (const context of ['raw', 'json-string'] as const) {
        expect(diagnoseGbnf(fragmentToGrammar(regexToGbnf(pattern, { context, search: true })))).toBeUndefined();
      }
    }
    const grammarsDir = path.join(path.dirname(createRequire(import.meta.url).resolve('node-llama-cpp')), '..', 'llama', 'grammars');
    for (const file of ['json.gbnf', 'json_arr.gbnf', 'list.gbnf', 'chess.gbnf', 'arithmetic.gbnf', 'japanese.gbnf']) {
      const text = readFileSync(path.join(grammarsDir, file), 'utf8');
      expect(diagnoseGbnf(text), file).toBeUndefined();
    }
    expect(diagnoseGbnf('root ::= x{2,3} y{0,}\nx ::= "a" | ""\ny ::= ( "b"\n | "c" )')).toBeUndefined();
  });

  it.each([
    ['start ::= "a"', 'no rule named "root"'],
    ['root ::= a "x"', 'undefined rule "a"'],
    ['root ::= root "a" | "b"', 'left recursion: root → root'],
    ['root ::= "" root', 'left recursion: root → root'],
    ['root ::= "x"? "y" | a\na ::= b "x"\nb ::= c\nc ::= "q"? a', 'left recursion: a → b → c → a'],
    ['root ::= ("x"* root)', 'left recursion: root → root'],
  ])('%j → %s', (gbnf, reason) => {
    expect(diagnoseGbnf(gbnf)).toBe(reason);
  });

  it('reports syntax errors with a line', () => {
    expect(diagnoseGbnf('root ::= "a"\nb ::= [a-')).toMatch(/^unterminated character class at line 2/);
    expect(diagnoseGbnf('root ::= ("a"')).toMatch(/^expected \)/);
    expect(diagnoseGbnf('root ::= "\\x4"')).toMatch(/^malformed \\x escape/);
    expect(diagnoseGbnf('root ::= "a"{2')).toMatch(/^malformed repetition/);
  });
});
