import { mkdtemp, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkSourcePath } from './checkSourcePath.js';
import { DocumentTooLargeError, SourceMissingError, SourcePathRejectedError } from './errors.js';
import { safeUploadName, stageUpload } from './stageUpload.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hearth-stage-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('stageUpload', () => {
  it('writes the decoded bytes under the folder with a safe name', async () => {
    const p = await stageUpload(path.join(dir, 'up'), { name: 'Q3 report: "final".md', bytesBase64: Buffer.from('# Hi\n').toString('base64') }, 100);
    expect(p).toBe(path.join(dir, 'up', 'Q3 report_ _final_.md'));
    expect(await readFile(p, 'utf8')).toBe('# Hi\n');
    expect(safeUploadName('notes..v2.txt')).toBe('notes..v2.txt');
  });

  it.each(['../../etc/passwd', '..', 'a/b.md', 'a\\b.md', '.env', 'x\u0000.md', '/abs.md', ' '])('rejects the name %j and writes nothing', async (name) => {
    await expect(stageUpload(dir, { name, bytesBase64: 'aGk=' }, 100)).rejects.toBeInstanceOf(SourcePathRejectedError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('rejects too-large uploads before decoding, and malformed base64', async () => {
    const err = await stageUpload(dir, { name: 'big.txt', bytesBase64: Buffer.alloc(101).toString('base64') }, 100).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DocumentTooLargeError);
    expect(err).toMatchObject({ sizeBytes: 101, maxBytes: 100 });
    await expect(stageUpload(dir, { name: 'bad.txt', bytesBase64: 'a$b=' }, 100)).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('checkSourcePath', () => {
  it('accepts absolute regular files (through symlinks) and refuses the rest', async () => {
    const f = path.join(dir, 'a.md');
    await writeFile(f, 'x');
    await mkdir(path.join(dir, 'sub'));
    await symlink(f, path.join(dir, 'link.md'));
    expect(await checkSourcePath(f)).toBe(f);
    expect(await checkSourcePath(path.join(dir, 'link.md'))).toBe(f);
    await expect(checkSourcePath('a.md')).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED', reason: 'relative-path' });
    await expect(checkSourcePath(path.join(dir, 'sub'))).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED', reason: 'not-a-file' });
    await expect(checkSourcePath(path.join(dir, 'nope.md'))).rejects.toBeInstanceOf(SourceMissingError);
  });
});
