import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import type { GgufSummary } from '../../../shared/schemas/models.js';
import { inspectGguf } from './inspectGguf.js';
import { ModelManager } from './ModelManager.js';

let dir: string;
let modelsDir: string;
let reads: string[];
const countingReader = async (p: string): Promise<GgufSummary> => {
  reads.push(path.basename(p));
  return inspectGguf(p);
};
const manager = (options: { summaryCacheFile?: string | null } = {}) => ModelManager.create({ modelsDir, readSummary: countingReader, ...options });

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-models-list-'));
  modelsDir = path.join(dir, 'models');
  await fs.mkdir(modelsDir);
  await fs.copyFile(fixturePaths.embedGguf, path.join(modelsDir, 'a.gguf'));
  await fs.copyFile(fixturePaths.embedGguf, path.join(modelsDir, 'b.gguf'));
  await fs.copyFile(fixturePaths.corruptGguf, path.join(modelsDir, 'bad.gguf'));
  reads = [];
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('ModelManager.list header cache', () => {
  it('reads each header once; a second list only stats the files', async () => {
    const m = await manager();
    const first = await m.list();
    expect(first.map((x) => path.basename(x.path))).toEqual(['a.gguf', 'b.gguf', 'bad.gguf']);
    expect(first[0]!.summary).toMatchObject({ fileName: 'a.gguf', sizeBytes: (await fs.stat(fixturePaths.embedGguf)).size });
    expect(first[2]!.summary).toBeNull(); // corrupt: listed without a summary
    expect(reads.sort()).toEqual(['a.gguf', 'b.gguf', 'bad.gguf']);
    const second = await m.list();
    expect(reads).toHaveLength(3); // nothing re-read, not even the corrupt file
    expect(second).toEqual(first);
    await m.dispose();
  });

  it('re-reads a touched file and a replaced file, and forgets deleted ones', async () => {
    const m = await manager();
    await m.list();
    reads = [];
    const a = path.join(modelsDir, 'a.gguf');
    const later = new Date(Date.now() + 60_000);
    await fs.utimes(a, later, later); // same size, new mtime
    await m.list();
    expect(reads).toEqual(['a.gguf']);
    reads = [];
    await fs.copyFile(fixturePaths.chatGguf, path.join(modelsDir, 'b.gguf')); // another model under the same name
    const listed = await m.list();
    expect(reads).toEqual(['b.gguf']);
    expect(listed.find((x) => x.path.endsWith('b.gguf'))!.summary).toMatchObject({ sizeBytes: (await fs.stat(fixturePaths.chatGguf)).size });
    await fs.rm(path.join(modelsDir, 'b.gguf'));
    expect((await m.list()).map((x) => path.basename(x.path))).toEqual(['a.gguf', 'bad.gguf']);
    const persisted = JSON.parse(await fs.readFile(path.join(modelsDir, '.gguf-summaries.json'), 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(persisted.entries)).toEqual([a]); // corrupt results stay in memory only; deleted files are dropped
    await m.dispose();
  });

  it('persists summaries: a new manager (app restart) lists unchanged files without reading them', async () => {
    const m1 = await manager();
    const before = await m1.list();
    await m1.dispose();
    reads = [];
    const m2 = await manager();
    const after = await m2.list();
    expect(after).toEqual(before);
    expect(reads).toEqual(['bad.gguf']); // only the file that has no summary to persist
    await m2.dispose();
    // a garbage summary file is ignored and rewritten
    await fs.writeFile(path.join(modelsDir, '.gguf-summaries.json'), '{not json');
    reads = [];
    const m3 = await manager();
    expect(await m3.list()).toEqual(before);
    expect(reads.sort()).toEqual(['a.gguf', 'b.gguf', 'bad.gguf']);
    expect(JSON.parse(await fs.readFile(path.join(modelsDir, '.gguf-summaries.json'), 'utf8'))).toMatchObject({ version: 1 });
    await m3.dispose();
  });

  it('summaryCacheFile: null keeps summaries in memory only', async () => {
    const m = await manager({ summaryCacheFile: null });
    await m.list();
    await m.list();
    expect(reads).toHaveLength(3);
    await expect(fs.stat(path.join(modelsDir, '.gguf-summaries.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    await m.dispose();
  });
});
