import { describe, expect, it } from 'vitest';
import { legacyRegexCorpus, regexCorpus } from './regexCorpus.js';
import { sampleRegex } from './sampleRegex.js';
import { mulberry32 } from '../../../../shared/random/mulberry32.js';

const prng = mulberry32;

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
