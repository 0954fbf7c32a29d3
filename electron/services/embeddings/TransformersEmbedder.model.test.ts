import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { cosine } from './cosine.js';
import { EmbedderDisposedError } from './EmbedderDisposedError.js';
import { EmbedderLoadError } from './EmbedderLoadError.js';
import { EmbedderMissingError } from './EmbedderMissingError.js';
import { EmbeddingCancelledError } from './EmbeddingCancelledError.js';
import { TransformersEmbedder } from './TransformersEmbedder.js';

const TEXTS = [
  'The cat sat on the mat.',
  'Invoice total amount due in April',
  'a',
  'Quarterly tax report for the project budget, with a much longer sentence than the others to force padding.',
  '',
];

let embedder: TransformersEmbedder;
beforeAll(async () => {
  embedder = await TransformersEmbedder.create({ modelDir: fixturePaths.onnxEmbedderDir, batchSize: 2 });
});
afterAll(async () => {
  await embedder.dispose();
});

describe('TransformersEmbedder (tiny fixture)', () => {
  it('reports identity and the hidden size as dimensions', () => {
    expect(embedder.id).toBe('transformers:tiny-embedder');
    expect(embedder.dimensions).toBe(32);
    expect(embedder.maxTokens).toBe(512);
  });

  it('returns one unit-length vector per text, in order', async () => {
    const vs = await embedder.embed(TEXTS);
    expect(vs).toHaveLength(TEXTS.length);
    for (const v of vs) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(32);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
    expect(await embedder.embed([])).toEqual([]);
  });

  it('is deterministic and batching equals one-by-one', async () => {
    const batched = await embedder.embed(TEXTS);
    const again = await embedder.embed(TEXTS);
    for (let i = 0; i < TEXTS.length; i++) {
      expect(Array.from(again[i]!)).toEqual(Array.from(batched[i]!));
      const [alone] = await embedder.embed([TEXTS[i]!]);
      expect(cosine(alone!, batched[i]!)).toBeGreaterThan(0.99999);
      for (let k = 0; k < 32; k++) expect(alone![k]).toBeCloseTo(batched[i]![k]!, 5);
    }
  });

  it('gives cosine 1 for the same text and distinct vectors for different texts', async () => {
    const [a, b, c] = await embedder.embed(['hello world', 'hello world', 'invoice payment']);
    expect(cosine(a!, b!)).toBeCloseTo(1, 6);
    expect(cosine(a!, c!)).toBeLessThan(0.99);
  });

  it('counts tokens with its own WordPiece tokenizer, without [CLS]/[SEP]', () => {
    expect(embedder.countTokens('')).toBe(0);
    expect(embedder.countTokens('the cat sat')).toBe(3);
    expect(embedder.countTokens('The cat, sat.')).toBe(5); // punctuation splits; case folds
    expect(embedder.countTokens('xyz')).toBe(3); // x ##y ##z
  });

  it('truncates texts longer than the model window instead of failing', async () => {
    const long = 'word '.repeat(2000);
    expect(embedder.countTokens(long)).toBe(2000);
    const [v] = await embedder.embed([long]);
    expect(Math.hypot(...v!)).toBeCloseTo(1, 5);
  });

  it('honours an aborted signal', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(embedder.embed(TEXTS, { signal: ac.signal })).rejects.toBeInstanceOf(EmbeddingCancelledError);
  });
});

describe('TransformersEmbedder lifecycle and errors', () => {
  it('dispose is idempotent and later embeds fail with MODEL_NOT_LOADED', async () => {
    const e = await TransformersEmbedder.create({ modelDir: fixturePaths.onnxEmbedderDir });
    await e.dispose();
    await e.dispose();
    await expect(e.embed(['x'])).rejects.toBeInstanceOf(EmbedderDisposedError);
    await expect(e.embed(['x'])).rejects.toMatchObject({ code: 'MODEL_NOT_LOADED' });
  });

  it('a missing model folder is EmbedderMissingError pointing at the Models screen', async () => {
    const dir = path.join(tmpdir(), 'hearth-no-such-model-dir');
    const err = await TransformersEmbedder.create({ modelDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbedderMissingError);
    const e = err as EmbedderMissingError;
    expect(e.code).toBe('EMBEDDER_MISSING');
    expect(e.retryable).toBe(false);
    expect(e.details).toEqual({ modelId: 'transformers:hearth-no-such-model-dir', path: path.join(dir, 'config.json') });
    expect(e.message).toMatch(/Models screen/);
  });

  it('a folder without the requested dtype file is EmbedderMissingError for that file', async () => {
    const err = await TransformersEmbedder.create({ modelDir: fixturePaths.onnxEmbedderDir, dtype: 'q8' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbedderMissingError);
    expect((err as EmbedderMissingError).path).toBe(path.join(fixturePaths.onnxEmbedderDir, 'onnx', 'model_quantized.onnx'));
  });

  it('a corrupt ONNX file is EmbedderLoadError (MODEL_LOAD_FAILED), not a crash', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hearth-corrupt-embedder-'));
    try {
      await cp(fixturePaths.onnxEmbedderDir, dir, { recursive: true });
      await writeFile(path.join(dir, 'onnx', 'model.onnx'), Buffer.from('this is not a protobuf'));
      const err = await TransformersEmbedder.create({ modelDir: dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EmbedderLoadError);
      expect((err as EmbedderLoadError).code).toBe('MODEL_LOAD_FAILED');
      expect((err as EmbedderLoadError).details).toMatchObject({ path: dir });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
