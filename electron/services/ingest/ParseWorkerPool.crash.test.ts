import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParseWorkerCrashedError } from './ParseWorkerCrashedError.js';
import { ParseWorkerPool } from './ParseWorkerPool.js';
import { buildPdf } from './testing/buildTestFiles.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hearth-pool-crash-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ParseWorkerPool crash recovery', () => {
  it('fails the in-flight parse with a retryable typed error, restarts the thread, and the next parse succeeds', async () => {
    const pool = await ParseWorkerPool.create({ crashOnPathContaining: 'KILLME' });
    try {
      const good = path.join(dir, 'good.md');
      await writeFile(good, '# Title\n\nSome text that survives.');
      const doomed = path.join(dir, 'KILLME.pdf');
      const pages = Array.from({ length: 40 }, (_, p) => Array.from({ length: 30 }, (_, l) => `Page ${p} line ${l} words words words`).join('\n'));
      await writeFile(doomed, buildPdf(pages));
      expect((await pool.parse(good)).pages[0]!.text).toContain('survives');
      expect(pool.threadsStarted).toBe(1);

      const [crashed, queued] = await Promise.all([pool.parse(doomed).catch((e: unknown) => e), pool.parse(good).catch((e: unknown) => e)]);
      for (const e of [crashed, queued]) {
        expect(e).toBeInstanceOf(ParseWorkerCrashedError);
        expect(e).toMatchObject({ code: 'DOCUMENT_UNREADABLE', retryable: true, reason: 'exited with code 70' });
      }
      expect((crashed as ParseWorkerCrashedError).path).toBe(doomed);
      expect((queued as ParseWorkerCrashedError).path).toBe(good);

      // restarted on demand: the retry of the innocent file succeeds on a fresh thread
      const retried = await pool.parse(good);
      expect(retried.pages[0]!.text).toContain('survives');
      expect(pool.threadsStarted).toBe(2);
    } finally {
      await pool.dispose();
      await pool.dispose();
    }
  }, 120_000);
});
