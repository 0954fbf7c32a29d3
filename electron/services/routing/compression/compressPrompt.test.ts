import { describe, expect, it } from 'vitest';
import { compressPrompt } from './compressPrompt.js';

const words = (t: string) => (t.match(/\S+/g) ?? []).length;
const context = [
  'The Eiffel Tower was completed in 1889 for the World Fair.',
  'Paris has many bakeries and cafés.',
  'Always cite the sentence you used.',
  'The tower is 330 metres tall including its antennas.',
  'Lyon is known for its cuisine.',
  'Gustave Eiffel\u2019s company designed and built the tower.',
  'Trains connect Paris and Lyon in two hours.',
].join(' ');

describe('compressPrompt', () => {
  it('keeps instructions, the query and instruction-like sentences, drops the least relevant context to fit', () => {
    const r = compressPrompt({ instructions: 'You answer questions about landmarks.', context, query: 'How tall is the Eiffel tower?', budgetTokens: 40, countTokens: words });
    expect(r.tokensBefore).toBeGreaterThan(40);
    expect(r.tokensAfter).toBeLessThanOrEqual(40);
    expect(r.overBudget).toBe(false);
    expect(r.prompt.startsWith('You answer questions about landmarks.')).toBe(true);
    expect(r.prompt.endsWith('How tall is the Eiffel tower?')).toBe(true);
    expect(r.context).toContain('Always cite the sentence you used.');
    expect(r.context).toContain('330 metres tall');
    expect(r.context).not.toContain('Lyon is known');
    expect(r.context).not.toContain('bakeries');
    expect(r.sentences.find((s) => s.text.startsWith('Always'))!.why).toBe('instruction');
    // kept sentences stay in document order, with an ellipsis where text was dropped
    const kept = r.sentences.filter((s) => s.kept).map((s) => s.index);
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
    expect(r.context).toContain('…');
  });

  it('keeps everything when it already fits, and reports overBudget when instructions alone do not', () => {
    const all = compressPrompt({ instructions: 'Be brief.', context, query: 'Tower height?', budgetTokens: 1000, countTokens: words });
    expect(all.sentences.every((s) => s.kept)).toBe(true);
    expect(all.context).not.toContain('…');
    const tight = compressPrompt({ instructions: 'Be brief and precise in every answer you give.', context, query: 'Tower height?', budgetTokens: 5, countTokens: words });
    expect(tight.overBudget).toBe(true);
    expect(tight.prompt).toContain('Be brief and precise in every answer you give.');
    expect(tight.sentences.filter((s) => s.kept).map((s) => s.why)).toEqual(['instruction']);
  });

  it('counts with the real BPE by default and respects the budget', () => {
    const r = compressPrompt({ instructions: 'Answer from the context.', context, query: 'Who built the Eiffel tower?', budgetTokens: 45 });
    expect(r.tokensAfter).toBeLessThanOrEqual(45);
    expect(r.context).toContain('Gustave Eiffel');
  });
});
