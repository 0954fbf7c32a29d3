import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrammarChecker } from '../constrain/index.js';
import { buildCitationGrammar } from './buildCitationGrammar.js';
import { sentenceChoiceGrammar } from './selectSentences.js';

let checker: GrammarChecker;
beforeAll(async () => {
  checker = await GrammarChecker.create({ threads: 2 });
});
afterAll(async () => {
  await checker?.dispose();
});

describe('citation grammar, judged by llama.cpp\'s own grammar engine', () => {
  it('accepts answers citing only passages 1..k and rejects out-of-range or missing citations', () => {
    const g = checker.compile(buildCitationGrammar(3, { maxAnswerChars: 80 }));
    expect(g.accepts('Blue [2].\nSources: [2]')).toBe(true);
    expect(g.accepts('Blue [2], round [3].\nSources: [2], [3], [1]')).toBe(true);
    expect(g.accepts('Multi\nline answer\nSources: [1]')).toBe(true);
    expect(g.accepts('Blue.\nSources: [4]')).toBe(false); // out of range
    expect(g.accepts('Blue.\nSources: [0]')).toBe(false);
    expect(g.accepts('Blue.\nSources: [12]')).toBe(false);
    expect(g.accepts('Blue [4].\nSources: [1]')).toBe(false); // inline out of range
    expect(g.accepts('Blue [x].\nSources: [1]')).toBe(false); // brackets only as citations
    expect(g.accepts('Blue.')).toBe(false); // the sources line is mandatory
    expect(g.accepts('Blue.\nSources: ')).toBe(false);
    expect(g.accepts('\nSources: [1]')).toBe(false); // a non-empty answer first
    expect(g.accepts('Blue.\nSources: [1], [2], [3], [1]')).toBe(false); // at most k listed
  });

  it('bounds the answer length, so a rambling model must reach its sources', () => {
    const g = checker.compile(buildCitationGrammar(1, { maxAnswerChars: 10 }));
    expect(g.accepts('0123456789\nSources: [1]')).toBe(true);
    expect(g.accepts('0123456789X\nSources: [1]')).toBe(false);
  });

  it('with 12 passages, two-digit ids are exact', () => {
    const g = checker.compile(buildCitationGrammar(12, { maxAnswerChars: 20 }));
    expect(g.accepts('a [12]\nSources: [10]')).toBe(true);
    expect(g.accepts('a\nSources: [13]')).toBe(false);
  });

  it('the compression grammar allows only candidate sentence ids, up to maxKeep of them', () => {
    const g = checker.compile(sentenceChoiceGrammar([1, 2, 3], 2));
    expect(g.accepts('S1')).toBe(true);
    expect(g.accepts('S3, S1')).toBe(true);
    expect(g.accepts('S4')).toBe(false);
    expect(g.accepts('S1, S2, S3')).toBe(false);
    expect(g.accepts('')).toBe(false);
    expect(g.accepts('S1 and S2')).toBe(false);
  });
});
