import path from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { CrossEncoderReranker } from './CrossEncoderReranker.js';
import { EmbedderDisposedError } from './EmbedderDisposedError.js';
import { EmbedderMissingError } from './EmbedderMissingError.js';

const QUERY = 'when is the invoice due';
const PASSAGES = [
  'The invoice total amount is due in April.',
  'Cats sit on mats.',
  'x',
  'Quarterly tax report: the budget and the cost ledger for every project meeting this year, in much more detail.',
  '',
];

let reranker: CrossEncoderReranker;
beforeAll(async () => {
  reranker = await CrossEncoderReranker.create({ modelDir: fixturePaths.onnxRerankerDir, batchSize: 2 });
});
afterAll(async () => {
  await reranker.dispose();
});

describe('CrossEncoderReranker (tiny fixture)', () => {
  it('gives one finite score in (0, 1) per passage', async () => {
    const scores = await reranker.score(QUERY, PASSAGES);
    expect(scores).toHaveLength(PASSAGES.length);
    for (const s of scores) {
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThan(1);
    }
    expect(new Set(scores).size).toBeGreaterThan(1);
    expect(await reranker.score(QUERY, [])).toEqual([]);
  });

  it('scores each pair independently of batch composition and order', async () => {
    const scores = await reranker.score(QUERY, PASSAGES);
    const reversed = await reranker.score(QUERY, [...PASSAGES].reverse());
    PASSAGES.forEach((p, i) => expect(reversed[PASSAGES.length - 1 - i]).toBeCloseTo(scores[i]!, 5));
    const [alone] = await reranker.score(QUERY, [PASSAGES[3]!]);
    expect(alone).toBeCloseTo(scores[3]!, 5);
  });

  it('depends on the query (it is a cross-encoder, not a passage prior)', async () => {
    const a = await reranker.score('when is the invoice due', PASSAGES.slice(0, 2));
    const b = await reranker.score('cats', PASSAGES.slice(0, 2));
    expect(a).not.toEqual(b);
  });

  it('raw logits with activation none map through sigmoid to the default scores', async () => {
    const raw = await CrossEncoderReranker.create({ modelDir: fixturePaths.onnxRerankerDir, activation: 'none' });
    try {
      const logits = await raw.score(QUERY, PASSAGES);
      const probs = await reranker.score(QUERY, PASSAGES);
      logits.forEach((z, i) => expect(1 / (1 + Math.exp(-z))).toBeCloseTo(probs[i]!, 6));
    } finally {
      await raw.dispose();
    }
  });
});

describe('CrossEncoderReranker errors', () => {
  it('missing folder → EmbedderMissingError', async () => {
    const dir = path.join(tmpdir(), 'hearth-no-such-reranker');
    await expect(CrossEncoderReranker.create({ modelDir: dir })).rejects.toBeInstanceOf(EmbedderMissingError);
  });

  it('dispose is idempotent; score afterwards fails', async () => {
    const r = await CrossEncoderReranker.create({ modelDir: fixturePaths.onnxRerankerDir });
    await r.dispose();
    await r.dispose();
    await expect(r.score('q', ['p'])).rejects.toBeInstanceOf(EmbedderDisposedError);
  });
});
