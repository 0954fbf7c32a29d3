import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentStore, HashingEmbedder } from '../retrieval/index.js';
import { Ingestor, documentIdForPath } from './Ingestor.js';
import { ParseWorkerPool } from './ParseWorkerPool.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hearth-ingest-crash-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Ingestor with a crashing parser thread', () => {
  it('fails only the file that kills the parser (after one retry on a fresh thread); the rest and the index survive', async () => {
    const store = await DocumentStore.open({ dir: path.join(dir, 'db'), embedder: new HashingEmbedder(64) });
    const parser = await ParseWorkerPool.create({ crashOnPathContaining: 'KILLME' });
    const ingestor = await Ingestor.create({ store, parser });
    try {
      const files = path.join(dir, 'files');
      await mkdir(files, { recursive: true });
      const f = (n: string) => path.join(files, n);
      await writeFile(f('before.md'), '# Before\n\nThe gearbox manual explains oil changes.');
      await writeFile(f('KILLME.md'), '# Doomed\n\nThis file crashes the parser thread every time.');
      await writeFile(f('after.md'), '# After\n\nThe turbine blade pitch is set by the controller.');

      const first = await ingestor.ingest([f('before.md')]);
      expect(first.files[0]!.status).toBe('indexed');
      const chunksBefore = await store.countChunks();

      const report = await ingestor.ingest([f('KILLME.md'), f('after.md')]);
      const byName = Object.fromEntries(report.files.map((r) => [path.basename(r.path), r]));
      expect(byName['KILLME.md']!.status).toBe('error');
      expect(byName['KILLME.md']!.error).toMatchObject({ code: 'DOCUMENT_UNREADABLE', retryable: true });
      expect(byName['after.md']!.status).toBe('indexed');
      expect(parser.threadsStarted).toBeGreaterThanOrEqual(3); // first thread, restart for the retry, restart after it

      // nothing already indexed was lost, and the new file is searchable
      expect(await store.countChunks(documentIdForPath(f('before.md')))).toBe(chunksBefore);
      expect(await store.countChunks(documentIdForPath(f('after.md')))).toBeGreaterThan(0);
      expect(await store.countChunks(documentIdForPath(f('KILLME.md')))).toBe(0);
      const hits = await store.searchText('turbine blade pitch', { limit: 5 });
      expect(hits.map((h) => h.docId)).toContain(documentIdForPath(f('after.md')));
    } finally {
      await ingestor.dispose();
      await store.dispose();
    }
  }, 120_000);
});
