import path from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { EmbedderDisposedError } from './EmbedderDisposedError.js';
import { EmbedderMissingError } from './EmbedderMissingError.js';
import { EmbedderWorker } from './EmbedderWorker.js';
import { EmbeddingCancelledError } from './EmbeddingCancelledError.js';
import { TransformersEmbedder } from './TransformersEmbedder.js';
import { UseLiteEmbedder } from './UseLiteEmbedder.js';
import { cosine } from './cosine.js';

const spec = { kind: 'transformers', modelDir: fixturePaths.onnxEmbedderDir, batchSize: 2 } as const;
const TEXTS = ['The cat sat on the mat.', '', 'Invoice total amount due in April', 'x y z', 'hello world'];

let worker: EmbedderWorker;
let local: TransformersEmbedder;
beforeAll(async () => {
  [worker, local] = await Promise.all([EmbedderWorker.create(spec), TransformersEmbedder.create(spec)]);
});
afterAll(async () => {
  await Promise.all([worker.dispose(), local.dispose()]);
});

describe('EmbedderWorker (transformers fixture on a worker thread)', () => {
  it('reports the same identity and produces the same vectors as in-process', async () => {
    expect(worker.id).toBe(local.id);
    expect(worker.dimensions).toBe(32);
    const [a, b] = await Promise.all([worker.embed(TEXTS), local.embed(TEXTS)]);
    expect(a).toHaveLength(TEXTS.length);
    a.forEach((v, i) => {
      expect(v).toBeInstanceOf(Float32Array);
      expect(Array.from(v)).toEqual(Array.from(b[i]!));
    });
  });

  it('counts tokens synchronously, identically to the in-process tokenizer', () => {
    for (const t of TEXTS) expect(worker.countTokens(t)).toBe(local.countTokens(t));
  });

  it('serves concurrent requests to the right callers', async () => {
    const results = await Promise.all(TEXTS.map((t) => worker.embed([t])));
    const expected = await local.embed(TEXTS);
    results.forEach(([v], i) => expect(Array.from(v!)).toEqual(Array.from(expected[i]!)));
  });

  it('keeps the main thread responsive while embedding', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const many = Array.from({ length: 400 }, (_, i) => `document ${i} about the quarterly budget and tax report`);
    await worker.embed(many);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });

  it('forwards cancellation: an aborted call rejects with EmbeddingCancelledError', async () => {
    const ac = new AbortController();
    const many = Array.from({ length: 200 }, (_, i) => `text number ${i}`);
    const p = worker.embed(many, { signal: ac.signal });
    ac.abort();
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbeddingCancelledError);
    expect((err as EmbeddingCancelledError).total).toBe(200);
    expect((err as EmbeddingCancelledError).completed).toBeLessThan(200);
    // The worker is still usable afterwards.
    expect(await worker.embed(['still alive'])).toHaveLength(1);
  });
});

describe('EmbedderWorker with the default spec (USE-Lite)', () => {
  it('matches in-process USE-Lite, counts tokens on the calling thread, and leaves the event loop free', async () => {
    const [w, local] = await Promise.all([EmbedderWorker.create(), UseLiteEmbedder.create()]);
    try {
      expect(w.id).toBe('use-lite');
      expect(w.dimensions).toBe(512);
      const texts = ['The cat sat on the mat.', 'Quarterly taxes are due in April.', ''];
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      const remote = await w.embed(texts);
      clearInterval(timer);
      expect(ticks).toBeGreaterThan(0); // tfjs-wasm is synchronous: in-process it would block these timers
      const inProcess = await local.embed(texts);
      remote.forEach((v, i) => expect(cosine(v, inProcess[i]!)).toBeGreaterThan(0.99999));
      for (const t of texts) expect(w.countTokens(t)).toBe(local.countTokens(t));
    } finally {
      await Promise.all([w.dispose(), local.dispose()]);
    }
  });
});

describe('EmbedderWorker lifecycle', () => {
  it('a missing model folder surfaces as EmbedderMissingError from the worker', async () => {
    const err = await EmbedderWorker.create({ kind: 'transformers', modelDir: path.join(tmpdir(), 'hearth-missing-model') }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EmbedderMissingError);
    expect((err as EmbedderMissingError).code).toBe('EMBEDDER_MISSING');
  });

  it('dispose ends the thread, is idempotent, and later calls fail', async () => {
    const w = await EmbedderWorker.create(spec);
    await w.dispose();
    await w.dispose();
    await expect(w.embed(['x'])).rejects.toBeInstanceOf(EmbedderDisposedError);
  });
});
