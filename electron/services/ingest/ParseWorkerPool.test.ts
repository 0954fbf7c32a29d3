import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseWorkerPool } from './ParseWorkerPool.js';
import { DocumentEncryptedError, UnsupportedFormatError } from './errors.js';
import { buildPdf } from './testing/buildTestFiles.js';

describe('ParseWorkerPool', () => {
  it('parses off the main thread (the event loop keeps ticking) and revives typed errors', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hearth-pool-'));
    const pool = await ParseWorkerPool.create();
    try {
      const big = path.join(dir, 'big.pdf');
      const pages = Array.from({ length: 20 }, (_, p) => Array.from({ length: 20 }, (_, l) => `Page ${p + 1} line ${l} with some words to extract`).join('\n'));
      await writeFile(big, buildPdf(pages));
      await pool.parse(big); // warm-up: worker start + pdfjs load
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const t0 = performance.now();
      const doc = await pool.parse(big);
      const ms = performance.now() - t0;
      clearInterval(timer);
      expect(doc.pages).toHaveLength(20);
      expect(doc.pages[19]!.text.startsWith("Page 20 line 0")).toBe(true);
      // a parse done on this thread would block the timer for its whole duration
      expect(ticks).toBeGreaterThanOrEqual(Math.min(3, Math.floor(ms / 50)));
      const enc = path.join(dir, 'enc.pdf');
      await writeFile(enc, buildPdf(['x'], { encrypt: true }));
      await expect(pool.parse(enc)).rejects.toBeInstanceOf(DocumentEncryptedError);
      await expect(pool.parse(path.join(dir, 'a.bin'))).rejects.toBeInstanceOf(UnsupportedFormatError);
    } finally {
      await pool.dispose();
      await pool.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
