import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserChosenFiles } from './UserChosenFiles.js';
import { UserPathRejectedError } from './UserPathRejectedError.js';
import { validateUserPath, type ValidateUserPathOptions } from './validateUserPath.js';

let dir: string;
let model: string;
const GGUF = { extensions: ['.gguf'] };

beforeAll(async () => {
  dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-paths-')));
  model = path.join(dir, 'model.gguf');
  await fs.writeFile(model, 'GGUF');
  await fs.writeFile(path.join(dir, 'secret.txt'), 'secret');
  await fs.mkdir(path.join(dir, 'folder.gguf'));
  await fs.symlink(path.join(dir, 'secret.txt'), path.join(dir, 'sneaky.gguf'));
  await fs.symlink(model, path.join(dir, 'alias.gguf'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function rejection(input: unknown, options: ValidateUserPathOptions = GGUF): Promise<UserPathRejectedError> {
  const err = await validateUserPath(input, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserPathRejectedError);
  return err as UserPathRejectedError;
}

describe('validateUserPath', () => {
  it('returns the real path of an existing regular file with an allowed extension', async () => {
    await expect(validateUserPath(model, GGUF)).resolves.toBe(model);
    await expect(validateUserPath(path.join(dir, 'alias.gguf'), GGUF)).resolves.toBe(model);
    await expect(validateUserPath(path.join(dir, 'MODEL.GGUF'.toLowerCase()), { extensions: ['.GGUF'] })).resolves.toBe(model);
  });

  it.each([
    [42, 'not-a-string'],
    ['', 'not-a-string'],
    ['/tmp/a\0.gguf', 'nul-byte'],
    ['model.gguf', 'relative-path'],
    ['./model.gguf', 'relative-path'],
    ['/tmp/../etc/passwd.gguf', 'traversal'],
    ['/etc/passwd', 'bad-extension'],
  ] as const)('refuses %j (%s)', async (input, reason) => {
    const err = await rejection(input);
    expect(err.reason).toBe(reason);
    expect(err.code).toBe('PATH_NOT_ALLOWED');
  });

  it('refuses traversal even when it would resolve inside the folder', async () => {
    expect((await rejection(`${dir}/sub/../model.gguf`)).reason).toBe('traversal');
  });

  it('refuses missing files (NOT_FOUND), folders, and symlinks to other file types', async () => {
    const missing = await rejection(path.join(dir, 'nope.gguf'));
    expect(missing).toMatchObject({ reason: 'missing', code: 'NOT_FOUND' });
    expect((await rejection(path.join(dir, 'folder.gguf'))).reason).toBe('not-a-file');
    expect((await rejection(path.join(dir, 'sneaky.gguf'))).reason).toBe('bad-extension');
    expect((await rejection('/dev/null.gguf')).reason).toBe('missing');
  });

  it('with `chosen`, accepts only files the user picked in the native dialog', async () => {
    const chosen = new UserChosenFiles(2);
    expect((await rejection(model, { ...GGUF, chosen })).reason).toBe('not-chosen');
    expect(await chosen.remember([path.join(dir, 'alias.gguf'), path.join(dir, 'gone.gguf')])).toEqual([model]);
    await expect(validateUserPath(model, { ...GGUF, chosen })).resolves.toBe(model);
    await chosen.remember([path.join(dir, 'secret.txt'), path.join(dir, 'folder.gguf')]);
    expect(chosen.size).toBe(2); // bounded: the oldest (the model) was forgotten
    expect(chosen.has(model)).toBe(false);
  });

  it('never accepts a path containing "..", NUL or a relative start (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), fc.constantFrom('..', '\0', 'rel'), async (s, kind) => {
        const input = kind === 'rel' ? `x${s}.gguf` : kind === '..' ? `${dir}/${s.replace(/\0/g, '')}/../model.gguf` : `${dir}/${s}\0.gguf`;
        const err = await validateUserPath(input, GGUF).then(() => null, (e: unknown) => e);
        expect(err).toBeInstanceOf(UserPathRejectedError);
      }),
      { numRuns: 100 },
    );
  });
});
