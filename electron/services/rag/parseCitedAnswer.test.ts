import { describe, expect, it } from 'vitest';
import { parseCitedAnswer } from './parseCitedAnswer.js';

describe('parseCitedAnswer', () => {
  it('splits the answer from the sources line and orders citations: listed first, then inline-only', () => {
    expect(parseCitedAnswer('It is blue [3] and round [1].\nSources: [3], [2], [3]', 3)).toEqual({
      answer: 'It is blue [3] and round [1].',
      citations: [3, 2, 1],
      complete: true,
    });
  });

  it('uses the LAST sources line, so the phrase inside the answer is kept as text', () => {
    const r = parseCitedAnswer('A\nSources: [1] maybe\nmore\nSources: [2]', 2);
    expect(r.answer).toBe('A\nSources: [1] maybe\nmore');
    expect(r.citations).toEqual([2, 1]);
  });

  it('drops numbers outside 1..passageCount and marks output without a sources line incomplete', () => {
    expect(parseCitedAnswer('See [7] and [0] and [2]', 2)).toEqual({ answer: 'See [7] and [0] and [2]', citations: [2], complete: false });
  });
});
