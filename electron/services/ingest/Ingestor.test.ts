import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentStore, HashingEmbedder, HybridRetriever } from '../retrieval/index.js';
import { Ingestor, documentIdForPath, type IngestProgress } from './Ingestor.js';
import { buildDocx, buildPdf } from './testing/buildTestFiles.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hearth-ingest-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const prose = (topic: string, n: number) =>
  Array.from({ length: n }, (_, i) => `Sentence ${i} explains how the ${topic} behaves in case ${i}.`).join(' ');

async function setup(name: string) {
  const embedder = new HashingEmbedder(64);
  const store = await DocumentStore.open({ dir: path.join(dir, name, 'db'), embedder });
  const ingestor = await Ingestor.create({ store });
  const files = path.join(dir, name, 'files');
  await import('node:fs/promises').then((fs) => fs.mkdir(files, { recursive: true }));
  return { embedder, store, ingestor, files, dispose: async () => { await ingestor.dispose(); await store.dispose(); } };
}

describe('Ingestor', () => {
  it('indexes good files, fails each bad file alone with a typed error, and reports progress', async () => {
    const { store, ingestor, files, dispose } = await setup('mixed');
    try {
      const f = (n: string) => path.join(files, n);
      await writeFile(f('guide.pdf'), buildPdf([`Turbine manual. ${prose('gearbox', 6)}`, `Page two. The blade pitch controller limits rotor speed.`], { title: 'Turbine Guide' }));
      await writeFile(f('notes.docx'), buildDocx(['Meeting notes.', prose('budget', 4)]));
      await writeFile(f('page.html'), `<html><head><title>Web</title><style>.x{color:red}</style><script>var secret='scriptword';</script></head><body><h1>Heading</h1><p>${prose('kettle', 3)}</p></body></html>`);
      await writeFile(f('readme.md'), `# Readme\n\n${prose('compiler', 5)}`);
      await writeFile(f('plain.txt'), prose('garden', 5));
      await writeFile(f('table.csv'), 'name,colour\nfig,purple\n"lemon, ripe",yellow\n');
      await writeFile(f('locked.pdf'), buildPdf(['secret'], { encrypt: true }));
      await writeFile(f('broken.pdf'), buildPdf(['hello world']).subarray(0, 50));
      await writeFile(f('empty.txt'), '');
      await writeFile(f('image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      await writeFile(f('big.txt'), 'x '.repeat(5000));
      const names = ['guide.pdf', 'locked.pdf', 'notes.docx', 'broken.pdf', 'page.html', 'empty.txt', 'readme.md', 'image.png', 'plain.txt', 'big.txt', 'table.csv'];
      const events: IngestProgress[] = [];
      const report = await ingestor.ingest(names.map(f), { maxBytes: 4096, chunkTokens: 40, overlapTokens: 5, onProgress: (p) => events.push(p), tags: ['t1'] });
      const byName = Object.fromEntries(report.files.map((r) => [path.basename(r.path), r]));
      expect(byName['locked.pdf']!.error?.code).toBe('DOCUMENT_ENCRYPTED');
      expect(byName['broken.pdf']!.error?.code).toBe('DOCUMENT_UNREADABLE');
      expect(byName['empty.txt']!.error?.code).toBe('DOCUMENT_EMPTY');
      expect(byName['image.png']!.error?.code).toBe('UNSUPPORTED_FORMAT');
      expect(byName['big.txt']!.error?.code).toBe('DOCUMENT_TOO_LARGE');
      for (const r of report.files.filter((x) => x.status === 'error')) expect(r.error!.details).toMatchObject({ path: r.path });
      for (const n of ['guide.pdf', 'notes.docx', 'page.html', 'readme.md', 'plain.txt', 'table.csv']) expect(byName[n]!.status).toBe('indexed');
      expect(byName['guide.pdf']!.pages).toBe(2);
      // progress: every file ends with done or error, counts are monotone, last event has everything done
      expect(events.filter((e) => e.phase === 'done' || e.phase === 'error')).toHaveLength(names.length);
      for (let i = 1; i < events.length; i++) expect(events[i]!.filesDone).toBeGreaterThanOrEqual(events[i - 1]!.filesDone);
      const last = events[events.length - 1]!;
      expect(last).toMatchObject({ filesDone: names.length, filesTotal: names.length, chunksDone: report.chunksIndexed, chunksTotal: report.chunksIndexed });
      expect(events.some((e) => e.phase === 'embed')).toBe(true);
      expect(last.etaMs).toBe(0);
      // citations: the hit for the page-2 sentence points at page 2 with exact offsets
      const retriever = new HybridRetriever({ store, mode: 'bm25' });
      const [hit] = await retriever.retrieve('blade pitch controller', { k: 1 });
      expect(hit).toMatchObject({ docId: documentIdForPath(f('guide.pdf')), title: 'Turbine Guide', pageEnd: 2 });
      expect(hit!.text).toContain('blade pitch controller');
      // html scripts and styles are gone; csv rows carry their headers
      expect(await retriever.retrieve('scriptword', { k: 3 })).toEqual([]);
      const [csv] = await retriever.retrieve('lemon', { k: 1 });
      expect(csv!.text).toContain('name: lemon, ripe; colour: yellow');
    } finally {
      await dispose();
    }
  }, 120_000);

  it('skips unchanged files, replaces changed ones, dedupes by content, removes, and resumes after an abort', async () => {
    const { store, ingestor, files, dispose } = await setup('lifecycle');
    try {
      const a = path.join(files, 'a.txt');
      const copy = path.join(files, 'copy.txt');
      await writeFile(a, prose('alpha', 20));
      await writeFile(copy, prose('alpha', 20));
      const r1 = await ingestor.ingest([a, copy], { chunkTokens: 30, overlapTokens: 0 });
      expect(r1.files.map((r) => r.status)).toEqual(['indexed', 'duplicate']);
      expect(r1.files[1]!.duplicateOf).toBe(documentIdForPath(a));
      const n1 = await store.countChunks();
      expect(n1).toBe(r1.files[0]!.chunks);
      const r2 = await ingestor.ingest([a], { chunkTokens: 30, overlapTokens: 0 });
      expect(r2.files[0]!.status).toBe('unchanged');
      expect(await store.countChunks()).toBe(n1);
      await writeFile(a, prose('omega', 5));
      const r3 = await ingestor.ingest([a], { chunkTokens: 30, overlapTokens: 0 });
      expect(r3.files[0]!.status).toBe('indexed');
      expect(await store.countChunks()).toBe(r3.files[0]!.chunks);
      const bm = new HybridRetriever({ store, mode: 'bm25' });
      expect(await bm.retrieve('alpha', { k: 5 })).toEqual([]);
      expect((await bm.retrieve('omega', { k: 5 })).length).toBeGreaterThan(0);

      // abort during embedding of a long file: manifest stays pending, partial chunks are redone on resume
      const long = path.join(files, 'long.txt');
      await writeFile(long, prose('gamma', 200));
      const ac = new AbortController();
      await expect(
        ingestor.ingest([long], { chunkTokens: 30, overlapTokens: 0, embedBatchSize: 4, signal: ac.signal, onProgress: (p) => { if (p.phase === 'index' && p.chunksDone >= 8) ac.abort(); } }),
      ).rejects.toMatchObject({ code: 'CANCELLED' });
      const pending = await store.listDocuments({ status: 'pending' });
      expect(pending.map((d) => d.path)).toEqual([long]);
      const partial = await store.countChunks(documentIdForPath(long));
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(pending[0]!.chunkCount);
      const resumed = await ingestor.resumePending({ chunkTokens: 30, overlapTokens: 0 });
      expect(resumed.files.map((r) => r.status)).toEqual(['indexed']);
      expect(await store.countChunks(documentIdForPath(long))).toBe(pending[0]!.chunkCount);
      expect(await store.listDocuments({ status: 'pending' })).toEqual([]);

      await ingestor.remove(long);
      expect(await store.countChunks(documentIdForPath(long))).toBe(0);
      expect(await store.getDocument(documentIdForPath(long))).toBeUndefined();
    } finally {
      await dispose();
    }
  }, 120_000);

  it('parent-document mode returns the parent section around the matched child', async () => {
    const { store, ingestor, files, dispose } = await setup('parents');
    try {
      const f = path.join(files, 'p.txt');
      await writeFile(f, `${prose('river', 10)}\n\nThe unique zebracorn token sits here. ${prose('river', 10)}\n\n${prose('desert', 30)}`);
      await ingestor.ingest([f], { chunkTokens: 20, overlapTokens: 0, parentChunkTokens: 200 });
      const [hit] = await new HybridRetriever({ store, mode: 'bm25' }).retrieve('zebracorn', { k: 1 });
      expect(hit!.text.length).toBeGreaterThan(hit!.matchCharEnd - hit!.matchCharStart);
      expect(hit!.charStart).toBeLessThanOrEqual(hit!.matchCharStart);
      expect(hit!.charEnd).toBeGreaterThanOrEqual(hit!.matchCharEnd);
      expect(hit!.text).toContain('zebracorn');
    } finally {
      await dispose();
    }
  }, 120_000);
});
