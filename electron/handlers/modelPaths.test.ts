import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type HearthApp } from './createApp.js';

let dir: string;
let app: HearthApp;
let chosenApp: HearthApp;
const chosen = new Set<string>();
beforeAll(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-modelpaths-')));
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'not a model');
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(dir, 'link.gguf'));
  fs.mkdirSync(path.join(dir, 'folder.gguf'));
  fs.writeFileSync(path.join(dir, 'picked.gguf'), 'GGUF');
  app = await createApp({ dataDir: path.join(dir, 'data'), cpuOnly: true });
  chosenApp = await createApp({ dataDir: path.join(dir, 'data2'), cpuOnly: true, chosenFiles: chosen });
});
afterAll(async () => {
  await app.dispose();
  await chosenApp.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const call = (a: HearthApp, channel: 'models.open' | 'models.inspect', p: string) => a.dispatcher.dispatch(channel, { path: p }, { requestId: `r-${Math.random()}`, transport: 'bridge' });

describe('models.open / models.inspect path checks', () => {
  it('refuse relative paths, traversal, other extensions, folders and symlinks to non-models with PATH_NOT_ALLOWED', async () => {
    const bad = ['model.gguf', `${dir}/../${path.basename(dir)}/picked.gguf`, path.join(dir, 'secret.txt'), path.join(dir, 'folder.gguf'), path.join(dir, 'link.gguf'), `${dir}/x\0.gguf`];
    for (const p of bad) {
      for (const channel of ['models.open', 'models.inspect'] as const) {
        const res = await call(app, channel, p);
        expect(res.ok, `${channel} ${p}`).toBe(false);
        if (!res.ok) expect(res.error.code, `${channel} ${p}`).toBe('PATH_NOT_ALLOWED');
      }
    }
    const missing = await call(app, 'models.open', path.join(dir, 'missing.gguf'));
    expect(missing.ok ? null : missing.error.code).toBe('NOT_FOUND');
  });

  it('with a chosen-files list (Electron), accept only the files the user picked', async () => {
    const picked = path.join(dir, 'picked.gguf');
    const before = await call(chosenApp, 'models.inspect', picked);
    expect(before.ok ? null : before.error.code).toBe('PATH_NOT_ALLOWED');
    chosen.add(picked);
    const after = await call(chosenApp, 'models.inspect', picked);
    // now it reaches the GGUF reader, which rejects the 4-byte file as corrupt — not the path check
    expect(after.ok ? null : after.error.code).not.toBe('PATH_NOT_ALLOWED');
  });
});
