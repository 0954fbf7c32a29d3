import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replayChunks } from './replayChunks.js';

describe('replayChunks', () => {
  it('splits words into at most maxChunks whole-word runs', () => {
    const chunks = replayChunks('one two three four five six seven eight nine ten', 4);
    expect(chunks).toEqual(['one two three ', 'four five six ', 'seven eight nine ', 'ten']);
    expect(replayChunks('')).toEqual([]);
    expect(replayChunks('word')).toEqual(['w', 'o', 'r', 'd']);
  });

  it('property: chunks concatenate to the text, never exceed maxChunks, never split a surrogate pair', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.integer({ min: 1, max: 12 }), (text, max) => {
        const chunks = replayChunks(text, max);
        expect(chunks.join('')).toBe(text);
        expect(chunks.length).toBeLessThanOrEqual(max);
        for (const c of chunks) {
          expect(c.length).toBeGreaterThan(0);
          expect(/^[\uDC00-\uDFFF]/.test(c)).toBe(false);
          expect(/[\uD800-\uDBFF]$/.test(c)).toBe(false);
        }
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
