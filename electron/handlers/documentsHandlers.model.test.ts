import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, EventPayload } from '../../shared/contract/index.js';
import { MAX_UPLOAD_BYTES } from '../../shared/schemas/documents.js';
import { fixturePaths } from '../../models/fixtures/fixturePaths.js';
import { buildPdf } from '../services/ingest/index.js';
import { createApp, type HearthApp } from './createApp.js';
import { createDirectClient } from './createDirectClient.js';

// The tiny ONNX fixture embedder keeps this fast; the product default (USE-Lite) goes through the same path.
let dir: string;
let srcDir: string;
let app: HearthApp;
let api: ApiClient;
const progress: EventPayload<'documents.progress'>[] = [];
const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');

beforeAll(async () => {
  process.env.HEARTH_EMBEDDER = `transformers:${fixturePaths.onnxEmbedderDir}`;
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-docs-'));
  srcDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-docs-src-'));
  app = await createApp({ dataDir: dir, cpuOnly: true });
  delete process.env.HEARTH_EMBEDDER;
  api = createDirectClient(app);
  app.onEvent((event, payload) => {
    if (event === 'documents.progress') progress.push(payload as EventPayload<'documents.progress'>);
  });
});
afterAll(async () => {
  await app?.dispose();
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rm(srcDir, { recursive: true, force: true });
});

describe('documents handlers', () => {
  it('ingests a path and an upload, streams progress, lists both, opens a passage, deletes chunks', async () => {
    const md = path.join(srcDir, 'turbines.md');
    await fs.writeFile(md, '# Wind turbines\n\nBlade inspections happen every six months.\n\nGearbox oil is changed yearly.\n');
    const changed: string[][] = [];
    const off = app.services.documents.onDocumentsChanged((ids) => changed.push(ids));
    const v0 = app.services.documents.corpusVersion();
    // what the screen triggers on open: loads the embedder and the parser thread ahead of the first file
    expect(app.services.documents.embedder.loaded).toBe(false);
    await app.services.documents.warmUp();
    expect(app.services.documents.embedder.loaded).toBe(true);
    const pdf = buildPdf(['Invoices are paid within thirty days.', 'Late fees are two percent per month.']);
    progress.length = 0;
    const res = await api['documents.ingest']({ paths: [md], files: [{ name: 'terms.pdf', bytesBase64: b64(pdf) }], collection: 'Ops', tags: ['q3'] });
    expect(res.files.map((f) => [f.name, f.status])).toEqual([
      ['turbines.md', 'indexed'],
      ['terms.pdf', 'indexed'],
    ]);
    expect(res.files[1]!.pages).toBe(2);
    expect(res.files[1]!.path).toBe(path.join(dir, 'uploads', 'Ops', 'terms.pdf'));
    expect(res.chunksIndexed).toBeGreaterThanOrEqual(2);
    // progress: every phase of both files, counts that end complete
    expect(new Set(progress.map((p) => p.file))).toEqual(new Set(['turbines.md', 'terms.pdf']));
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['parse', 'embed', 'index', 'done']));
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ phase: 'done', filesDone: 2, filesTotal: 2, chunksDone: res.chunksIndexed, embedded: res.chunksIndexed });
    expect(progress.some((p) => p.etaMs !== null)).toBe(true);
    expect(app.services.documents.corpusVersion()).toBeGreaterThan(v0);
    expect(changed.flat()).toHaveLength(2);
    off();

    const list = await api['documents.list']({});
    expect(list.map((d) => [d.name, d.collection, d.status, d.tags]).sort()).toEqual([
      ['terms.pdf', 'Ops', 'indexed', ['q3']],
      ['turbines.md', 'Ops', 'indexed', ['q3']],
    ]);
    expect(list.find((d) => d.name === 'terms.pdf')).toMatchObject({ pages: 2, bytes: pdf.length, error: null });
    expect(await api['documents.collections']({})).toEqual([{ name: 'Ops', documents: 2, chunks: res.chunksIndexed }]);
    const stats = await api['documents.stats']({});
    expect(stats).toMatchObject({ documents: 2, chunks: res.chunksIndexed, embedder: { id: 'transformers:tiny-embedder', dimensions: 32, loaded: true } });
    expect(stats.indexBytes).toBeGreaterThan(0);

    // retrieval over what was ingested, then the citation panel's passage
    const hits = await app.services.documents.retriever.retrieve('late fees percent', { k: 3, mode: 'bm25' });
    expect(hits[0]!.text).toContain('Late fees');
    const passage = await api['documents.passage']({ chunkId: hits[0]!.chunkId });
    expect(passage).toMatchObject({ name: 'terms.pdf', collection: 'Ops', page: 1, pageEnd: 2 }); // both short pages fit one chunk
    expect(passage.context.text.slice(passage.context.matchStart, passage.context.matchEnd)).toBe(passage.text);
    await expect(api['documents.passage']({ chunkId: 'doc_nope:0' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // delete removes the document and all its chunks (and the stored upload)
    const termsId = list.find((d) => d.name === 'terms.pdf')!.docId;
    const del = await api['documents.delete']({ docIds: [termsId, 'doc_missing'] });
    expect(del).toMatchObject({ deleted: [termsId], missing: ['doc_missing'] });
    expect(del.chunksRemoved).toBeGreaterThan(0);
    expect(await app.services.documents.store.countChunks(termsId)).toBe(0);
    await expect(fs.stat(res.files[1]!.path!)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await api['documents.list']({})).map((d) => d.name)).toEqual(['turbines.md']);
    expect((await api['documents.stats']({})).chunks).toBe(res.chunksIndexed - del.chunksRemoved);
    // compaction keeps every row and search still sees them
    await app.services.documents.compact();
    expect((await api['documents.stats']({})).chunks).toBe(res.chunksIndexed - del.chunksRemoved);
    expect((await app.services.documents.retriever.retrieve('gearbox oil', { k: 1, mode: 'bm25' }))[0]!.text).toContain('Gearbox');
  });

  it('a corrupt PDF fails alone, with a typed error the table keeps; nothing else is lost', async () => {
    const before = await app.services.documents.store.countChunks();
    const good = buildPdf(['Solar panels are cleaned in spring.']);
    const corrupt = Buffer.concat([good.subarray(0, 60), Buffer.from('garbage')]);
    const res = await api['documents.ingest']({
      files: [
        { name: 'broken.pdf', bytesBase64: b64(corrupt) },
        { name: 'solar.pdf', bytesBase64: b64(good) },
        { name: 'locked.pdf', bytesBase64: b64(buildPdf(['secret'], { encrypt: true })) },
      ],
    });
    const by = Object.fromEntries(res.files.map((f) => [f.name, f]));
    expect(by['broken.pdf']).toMatchObject({ status: 'error', error: { code: 'DOCUMENT_UNREADABLE' } });
    expect(by['locked.pdf']).toMatchObject({ status: 'error', error: { code: 'DOCUMENT_ENCRYPTED' } });
    expect(by['solar.pdf']).toMatchObject({ status: 'indexed', error: null });
    expect(await app.services.documents.store.countChunks()).toBe(before + by['solar.pdf']!.chunks);
    const rows = await api['documents.list']({ collection: 'default' });
    expect(rows.find((r) => r.name === 'broken.pdf')).toMatchObject({ status: 'error', chunks: 0, error: { code: 'DOCUMENT_UNREADABLE' } });
    expect((await api['documents.list']({})).find((r) => r.name === 'turbines.md')).toMatchObject({ status: 'indexed' });

    // re-index: the broken file fails again (still listed as error), solar is redone from its file
    const ids = rows.filter((r) => r.name === 'broken.pdf' || r.name === 'solar.pdf').map((r) => r.docId);
    const re = await api['documents.reindex']({ docIds: ids });
    expect(re.files.map((f) => [f.name, f.status]).sort()).toEqual([
      ['broken.pdf', 'error'],
      ['solar.pdf', 'indexed'],
    ]);
    // deleting the failed one clears its error row
    const broken = rows.find((r) => r.name === 'broken.pdf')!.docId;
    await api['documents.delete']({ docIds: [broken] });
    expect((await api['documents.list']({})).some((r) => r.name === 'broken.pdf')).toBe(false);
  });

  it('rejects traversal names, directories, relative paths and too-large uploads per file', async () => {
    const big = Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x61);
    const res = await api['documents.ingest']({
      paths: ['relative/notes.md', srcDir],
      files: [
        { name: '../../evil.md', bytesBase64: b64('# pwned') },
        { name: 'big.txt', bytesBase64: b64(big) },
        { name: 'ok.txt', bytesBase64: b64('A perfectly fine note about compost.') },
      ],
    });
    expect(res.files.map((f) => [f.name, f.status, f.error?.code ?? null])).toEqual([
      ['notes.md', 'error', 'PATH_NOT_ALLOWED'],
      [path.basename(srcDir), 'error', 'PATH_NOT_ALLOWED'],
      ['../../evil.md', 'error', 'PATH_NOT_ALLOWED'],
      ['big.txt', 'error', 'DOCUMENT_TOO_LARGE'],
      ['ok.txt', 'indexed', null],
    ]);
    // nothing was written outside uploads/, and the rejected upload was not written at all
    await expect(fs.stat(path.join(dir, 'evil.md'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await fs.readdir(path.join(dir, 'uploads', 'default'))).sort()).toEqual(['locked.pdf', 'ok.txt', 'solar.pdf']); // failed uploads stay, for re-index or delete
    // contract-level validation: no files at all, or a bad collection name
    await expect(api['documents.ingest']({})).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(api['documents.ingest']({ paths: ['/x'], collection: '../etc' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
