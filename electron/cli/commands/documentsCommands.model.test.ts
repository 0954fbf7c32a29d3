import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { buildPdf } from '../../services/ingest/index.js';
import { runCli } from '../runCli.js';

let dir: string;
let src: string;
const saved = process.env.HEARTH_EMBEDDER;
beforeAll(async () => {
  process.env.HEARTH_EMBEDDER = `transformers:${fixturePaths.onnxEmbedderDir}`; // fast fixture embedder
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-cli-docs-'));
  src = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-cli-src-'));
});
afterAll(async () => {
  if (saved === undefined) delete process.env.HEARTH_EMBEDDER;
  else process.env.HEARTH_EMBEDDER = saved;
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rm(src, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...argv, '--data-dir', dir], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('documents CLI', () => {
  it('ingest → list → stats → delete over the data dir, with --json and per-file errors', async () => {
    await fs.writeFile(path.join(src, 'notes.md'), '# Notes\n\nThe boiler is serviced every October.\n');
    await fs.writeFile(path.join(src, 'bad.pdf'), '%PDF-1.4 not really');
    await fs.writeFile(path.join(src, 'good.pdf'), buildPdf(['Fire drills are held twice a year.']));
    const ing = await cli('ingest', path.join(src, 'notes.md'), path.join(src, 'good.pdf'), path.join(src, 'bad.pdf'), '--collection', 'Facilities', '--tags', 'ops,2025', '--json');
    expect(ing.code).toBe(1); // one file failed
    const result = JSON.parse(ing.out) as { files: { name: string; status: string; error: { code: string } | null }[] };
    expect(result.files.map((f) => [f.name, f.status, f.error?.code ?? null])).toEqual([
      ['notes.md', 'indexed', null],
      ['good.pdf', 'indexed', null],
      ['bad.pdf', 'error', 'DOCUMENT_UNREADABLE'],
    ]);

    const list = await cli('documents', 'list', '--json');
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.out) as { docId: string; name: string; collection: string; status: string; tags: string[] }[];
    expect(rows.map((r) => [r.name, r.collection, r.status]).sort()).toEqual([
      ['bad.pdf', 'Facilities', 'error'],
      ['good.pdf', 'Facilities', 'indexed'],
      ['notes.md', 'Facilities', 'indexed'],
    ]);
    expect(rows[0]!.tags).toEqual(['ops', '2025']);

    const stats = JSON.parse((await cli('documents', 'stats', '--json')).out) as { documents: number; chunks: number; indexBytes: number };
    expect(stats.documents).toBe(2);
    expect(stats.chunks).toBeGreaterThanOrEqual(2);
    expect(stats.indexBytes).toBeGreaterThan(0);

    const human = await cli('documents', 'list');
    expect(human.out).toMatch(/notes\.md\s+Facilities\s+indexed/);

    const notes = rows.find((r) => r.name === 'notes.md')!.docId;
    const del = await cli('documents', 'delete', notes, '--json');
    expect(JSON.parse(del.out)).toMatchObject({ deleted: [notes], missing: [] });
    expect(JSON.parse((await cli('documents', 'stats', '--json')).out).documents).toBe(1);

    const bad = await cli('ingest', '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
