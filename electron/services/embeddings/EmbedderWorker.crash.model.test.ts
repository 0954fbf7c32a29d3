import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { EmbedderWorker } from './EmbedderWorker.js';
import { EmbedderWorkerCrashedError } from './EmbedderWorkerCrashedError.js';

const spec = { kind: 'transformers', modelDir: fixturePaths.onnxEmbedderDir, batchSize: 2 } as const;
const CRASH = '<<crash the embedder thread>>';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-embed-crash-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('EmbedderWorker crash recovery', () => {
  it('fails the in-flight job with a retryable typed error, restarts the thread, and the next job succeeds; the index is intact', async () => {
    const worker = await EmbedderWorker.create(spec, { crashOnText: CRASH });
    const db = await lancedb.connect(dir);
    try {
      const docs = ['The cat sat on the mat.', 'Invoice total amount due in April', 'hello world'];
      const first = await worker.embed(docs);
      const table = await db.createTable('chunks', docs.map((text, i) => ({ id: i, text, vector: Array.from(first[i]!) })));
      const firstThread = worker.threadId;

      // A batch in flight when the thread dies, plus a concurrent call queued on the same thread.
      const doomed = worker.embed(['a normal text', CRASH, 'never embedded']);
      const bystander = worker.embed(['queued on the same thread']);
      const [err, err2] = await Promise.all([doomed.catch((e: unknown) => e), bystander.catch((e: unknown) => e)]);
      for (const e of [err, err2]) {
        expect(e).toBeInstanceOf(EmbedderWorkerCrashedError);
        expect(e).toMatchObject({ code: 'INTERNAL', retryable: true, modelId: worker.id });
      }
      expect((err as EmbedderWorkerCrashedError).message).toMatch(/deliberate embedder crash/);

      // Restarted automatically: the retry succeeds on a new thread, with the same vectors as before the crash.
      const again = await worker.embed(docs);
      expect(worker.restarts).toBe(1);
      expect(worker.threadId).not.toBe(firstThread);
      again.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(first[i]!)));

      // The index written before the crash is untouched and still answers with the right row.
      expect(await table.countRows()).toBe(3);
      const [hit] = await table.search(Array.from(again[1]!)).limit(1).toArray();
      expect(hit.text).toBe('Invoice total amount due in April');
    } finally {
      db.close();
      await worker.dispose();
    }
  }, 120_000);

  it('stops restarting after maxConsecutiveRestarts crashes in a row', async () => {
    const worker = await EmbedderWorker.create(spec, { crashOnText: CRASH, maxConsecutiveRestarts: 1 });
    try {
      await expect(worker.embed([CRASH])).rejects.toBeInstanceOf(EmbedderWorkerCrashedError); // restart 1
      await expect(worker.embed([CRASH])).rejects.toBeInstanceOf(EmbedderWorkerCrashedError); // over the limit
      await expect(worker.embed(['fine'])).rejects.toBeInstanceOf(EmbedderWorkerCrashedError); // stays failed
      expect(worker.restarts).toBe(1);
    } finally {
      await worker.dispose();
      await worker.dispose();
    }
  }, 120_000);
});
