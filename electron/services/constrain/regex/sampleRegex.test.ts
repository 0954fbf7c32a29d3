import { describe, expect, it } from 'vitest';
import { legacyRegexCorpus, regexCorpus } from './regexCorpus.js';
import { sampleRegex } from './sampleRegex.js';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('sampleRegex draws strings of the language', () => {
  it.each(regexCorpus)('every sample of /%s/ matches (whole and search)', (pattern) => {
    const whole = new RegExp(`^(?:${pattern})$`, 'u');
    const search = new RegExp(pattern, 'u');
    const random = prng(pattern.length * 7919);
    for (let i = 0; i < 40; i++) {
      const s = sampleRegex(pattern, random);
      if (s === undefined) {
        expect(pattern).toMatch(/\[\]/); // only empty classes have no sample
        return;
      }
      expect(whole.test(s), JSON.stringify(s)).toBe(true);
      const t = sampleRegex(pattern, random, { search: true });
      expect(search.test(t!), JSON.stringify(t)).toBe(true);
    }
  });

  it.each(legacyRegexCorpus)('legacy /%s/', (pattern) => {
    const random = prng(3);
    for (let i = 0; i < 20; i++) expect(new RegExp(`^(?:${pattern})$`).test(sampleRegex(pattern, random)!)).toBe(true);
  });

  it.each(['[A-Z]{2}\\d{4}', '(foo|bar)+baz?', '.+', '[^abc]+', '\\s\\S'])('/%s/ gives varied samples', (pattern) => {
    const random = prng(17);
    const seen = new Set(Array.from({ length: 30 }, () => sampleRegex(pattern, random)));
    expect(seen.size).toBeGreaterThan(10);
  });

  it('reaches the far end of big bounded repeats', () => {
    const random = prng(5);
    const lengths = Array.from({ length: 60 }, () => sampleRegex('a{0,200}', random)!.length);
    expect(Math.max(...lengths)).toBeGreaterThan(100);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(200);
  });
});
