import { describe, expect, it } from 'vitest';
import { buildParsedDocument } from './ParsedDocument.js';
import { chunkDocument } from './chunkDocument.js';

const words = (t: string) => t.match(/\S+/g)?.length ?? 0;

function para(n: number, seed: string): string {
  return Array.from({ length: n }, (_, i) => `${seed}${i} word${i % 7} sits here.`).join(' ');
}

describe('chunkDocument', () => {
  it('keeps exact offsets and respects the token budget', () => {
    const doc = buildParsedDocument('t', 'text', [para(40, 'alpha') + '\n\n' + para(30, 'beta'), para(50, 'gamma')]);
    const chunks = chunkDocument(doc, { countTokens: words, chunkTokens: 50, overlapTokens: 10 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) {
      expect(doc.text.slice(c.charStart, c.charEnd)).toBe(c.text);
      expect(c.tokenCount).toBe(words(c.text));
      expect(c.tokenCount).toBeLessThanOrEqual(50);
    }
    // every character of non-whitespace text is covered
    const covered = new Uint8Array(doc.text.length);
    for (const c of chunks) covered.fill(1, c.charStart, c.charEnd);
    for (let i = 0; i < doc.text.length; i++) if (!/\s/.test(doc.text[i]!)) expect(covered[i]).toBe(1);
    // pages: the first chunk is on page 1, the last on page 2
    expect(chunks[0]!.page).toBe(1);
    expect(chunks[chunks.length - 1]!.page).toBe(2);
    const p2 = doc.pages[1]!.charStart;
    for (const c of chunks) expect(c.page).toBe(c.charStart >= p2 ? 2 : 1);
  });

  it('overlaps consecutive chunks by at most overlapTokens and prefers paragraph boundaries', () => {
    const doc = buildParsedDocument('t', 'text', [para(8, 'a') + '\n\n' + para(8, 'b') + '\n\n' + para(8, 'c')]);
    // each paragraph is 8*5 = 40 words: a 45-token budget must cut exactly at the blank lines
    const chunks = chunkDocument(doc, { countTokens: words, chunkTokens: 45, overlapTokens: 0 });
    expect(chunks.map((c) => c.text.slice(0, 2))).toEqual(['a0', 'b0', 'c0']);
    const withOverlap = chunkDocument(doc, { countTokens: words, chunkTokens: 20, overlapTokens: 6 });
    for (let i = 1; i < withOverlap.length; i++) {
      const prev = withOverlap[i - 1]!;
      const cur = withOverlap[i]!;
      expect(cur.charStart).toBeGreaterThan(prev.charStart);
      if (cur.charStart < prev.charEnd) expect(words(doc.text.slice(cur.charStart, prev.charEnd))).toBeLessThanOrEqual(6);
    }
    expect(withOverlap.some((c, i) => i > 0 && c.charStart < withOverlap[i - 1]!.charEnd)).toBe(true);
  });

  it('falls back to characters for a single huge token-dense word', () => {
    const long = 'x'.repeat(1000);
    const perChar = (t: string) => t.replace(/\s/g, '').length; // every char a token
    const chunks = chunkDocument(buildParsedDocument('t', 'text', [long]), { countTokens: perChar, chunkTokens: 64, overlapTokens: 0 });
    expect(chunks.length).toBe(Math.ceil(1000 / 64));
    expect(chunks.map((c) => c.text).join('')).toBe(long);
    for (const c of chunks) expect(c.tokenCount).toBeLessThanOrEqual(64);
  });

  it('parent-document mode nests small children inside parents', () => {
    const doc = buildParsedDocument('t', 'text', [para(60, 'p')]);
    const chunks = chunkDocument(doc, { countTokens: words, chunkTokens: 20, overlapTokens: 4, parent: { chunkTokens: 100 } });
    const parents = new Set(chunks.map((c) => c.parent!.index));
    expect(parents.size).toBe(3); // 300 words / 100
    for (const c of chunks) {
      const p = c.parent!;
      expect(c.charStart).toBeGreaterThanOrEqual(p.charStart);
      expect(c.charEnd).toBeLessThanOrEqual(p.charEnd);
      expect(p.tokenCount).toBeLessThanOrEqual(100);
      expect(doc.text.slice(p.charStart, p.charEnd)).toBe(p.text);
    }
  });

  it('returns nothing for whitespace-only text', () => {
    expect(chunkDocument(buildParsedDocument('t', 'text', ['  \n\n  ']), { countTokens: words })).toEqual([]);
  });
});
