import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine } from './cosine.js';
import { createEmbedder } from './createEmbedder.js';
import { createTokenCounter } from './createTokenCounter.js';
import { UseLiteEmbedder } from './UseLiteEmbedder.js';

let embedder: UseLiteEmbedder;
const realFetch = globalThis.fetch;
beforeAll(async () => {
  // Prove it loads offline: any network attempt through fetch fails the load.
  let fetchCalls = 0;
  globalThis.fetch = (async () => {
    fetchCalls++;
    throw new Error('network disabled in this test');
  }) as typeof fetch;
  try {
    embedder = await UseLiteEmbedder.create({ batchSize: 3 });
  } finally {
    globalThis.fetch = realFetch;
  }
  expect(fetchCalls).toBe(0);
});
afterAll(async () => {
  await embedder.dispose();
});

describe('UseLiteEmbedder (bundled Universal Sentence Encoder Lite)', () => {
  it('embeds to 512-d unit vectors in input order', async () => {
    expect(embedder.id).toBe('use-lite');
    expect(embedder.dimensions).toBe(512);
    const vs = await embedder.embed(['The cat sat on the mat.', 'Quarterly taxes are due in April.']);
    expect(vs).toHaveLength(2);
    for (const v of vs) {
      expect(v.length).toBe(512);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
  });

  it('scores similar sentences higher than unrelated ones', async () => {
    const [cat, kitten, tax, dog, stocks] = await embedder.embed([
      'The cat sat on the mat.',
      'A kitten is resting on a rug.',
      'Quarterly tax filings are due in April.',
      'My dog loves to play fetch in the park.',
      'The stock market fell sharply on Monday.',
    ]);
    expect(cosine(cat!, kitten!)).toBeGreaterThan(cosine(cat!, tax!) + 0.2);
    expect(cosine(cat!, dog!)).toBeGreaterThan(cosine(cat!, stocks!));
    expect(cosine(tax!, stocks!)).toBeGreaterThan(cosine(tax!, kitten!));
  });

  it('batching (3 per call, 7 texts, including empty ones) equals one-by-one', async () => {
    const texts = ['alpha', '', 'The quick brown fox.', 'jumps over', 'the lazy dog', '   ', ''];
    const batched = await embedder.embed(texts);
    expect(batched).toHaveLength(texts.length);
    for (let i = 0; i < texts.length; i++) {
      const [alone] = await embedder.embed([texts[i]!]);
      expect(cosine(alone!, batched[i]!)).toBeGreaterThan(0.9999);
    }
  });

  it('counts tokens with its own vocabulary', () => {
    expect(embedder.countTokens('')).toBe(0);
    expect(embedder.countTokens('The cat sat on the mat.')).toBe(8);
    expect(embedder.countTokens('The cat sat on the mat. The cat sat on the mat.')).toBeGreaterThan(12);
  });

  it('a weights-free token counter (used by EmbedderWorker) agrees with the model', async () => {
    const count = await createTokenCounter({ kind: 'use-lite' });
    for (const t of ['', 'The cat sat on the mat.', 'Ünïcödé and 漢字, numbers 12345!']) expect(count(t)).toBe(embedder.countTokens(t));
  });
});

describe('createEmbedder', () => {
  it('defaults to USE-Lite', async () => {
    const e = await createEmbedder();
    try {
      expect(e.id).toBe('use-lite');
      const [a] = await e.embed(['The cat sat on the mat.']);
      const [b] = await embedder.embed(['The cat sat on the mat.']);
      expect(cosine(a!, b!)).toBeCloseTo(1, 5);
    } finally {
      await e.dispose();
    }
  });
});
