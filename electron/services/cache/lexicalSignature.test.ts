import { describe, expect, it } from 'vitest';
import { lexicalSignature, sameLexicalSignature } from './lexicalSignature.js';

describe('lexicalSignature', () => {
  it('tells apart prompts that differ in a number, as digits or words, incl. decimals and ordinals', () => {
    expect(sameLexicalSignature('Summarize in two sentences', 'Summarize in three sentences')).toBe(false);
    expect(sameLexicalSignature('Summarize in two sentences', 'Summarise in 2 sentences.')).toBe(true);
    expect(sameLexicalSignature('Total is 1,234.56', 'total is 1234.56')).toBe(true);
    expect(sameLexicalSignature('Total is 1234.56', 'Total is 1234.57')).toBe(false);
    expect(sameLexicalSignature('the first chapter', 'the 1st chapter')).toBe(true);
    expect(sameLexicalSignature('the first chapter', 'the second chapter')).toBe(false);
    expect(sameLexicalSignature('five hundred words', 'five thousand words')).toBe(false);
    expect(sameLexicalSignature('from 2 to 3', 'from 3 to 2')).toBe(false); // order counts: a safe miss
  });
  it('counts negations, whatever their spelling', () => {
    expect(sameLexicalSignature('Is the boiler on?', 'Is the boiler not on?')).toBe(false);
    expect(sameLexicalSignature("I don't want sugar", 'I do not want sugar')).toBe(true);
    expect(sameLexicalSignature('coffee with sugar', 'coffee without sugar')).toBe(false);
    expect(sameLexicalSignature('never ask', 'ask')).toBe(false);
    expect(sameLexicalSignature("it can't run", 'it cannot run')).toBe(true);
  });
  it('compares quoted strings exactly, but apostrophes are not quotes', () => {
    expect(sameLexicalSignature('Translate "Hello"', 'Translate "hello"')).toBe(false);
    expect(sameLexicalSignature('Translate "Hello"', "Please translate 'Hello'")).toBe(true);
    expect(sameLexicalSignature('Find “tank size”', 'Find "tank size"')).toBe(true);
    expect(sameLexicalSignature("What's the capital of France?", 'What is the capital of France?')).toBe(true);
    // a number inside a quote counts once, as part of the quote
    expect(lexicalSignature('Search for "3 bar"')).toBe(JSON.stringify([[], 0, ['3 bar']]));
  });
  it('leaves plain paraphrases alone', () => {
    expect(sameLexicalSignature('What is the capital of France?', "what's the capital city of france")).toBe(true);
  });
});
