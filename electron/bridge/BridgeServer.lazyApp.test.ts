import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type HearthApp } from '../handlers/index.js';
import { BridgeServer } from './BridgeServer.js';

let dir: string;
let staticDir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-bridge-lazy-'));
  staticDir = path.join(dir, 'static');
  await fs.mkdir(staticDir);
  await fs.writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Hearth</title>');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const invoke = (bridge: BridgeServer, channel: string) =>
  fetch(`${bridge.origin}/api/invoke/${channel}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ input: {} }),
  });

describe('BridgeServer with an app that is still loading', () => {
  it('serves the renderer at once and holds API calls until the app is ready', async () => {
    let resolveApp!: (app: HearthApp) => void;
    const bridge = await BridgeServer.start({ app: new Promise<HearthApp>((r) => (resolveApp = r)), staticDir });
    let app: HearthApp | undefined;
    try {
      const page = await fetch(`${bridge.origin}/`);
      expect(page.status).toBe(200);
      let answered = false;
      const call = invoke(bridge, 'app.info').then((r) => ((answered = true), r));
      await new Promise((r) => setTimeout(r, 200));
      expect(answered).toBe(false);
      app = await createApp({ dataDir: path.join(dir, 'data'), cpuOnly: true });
      resolveApp(app);
      const res = await call;
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ok: true, data: { version: expect.any(String) } });
    } finally {
      await bridge.dispose();
      await app?.dispose();
    }
  }, 60_000);

  it('answers API calls with a typed error when the app failed to start, and keeps serving static files', { timeout: 60_000 }, async () => {
    const failed = Promise.reject(new Error('disk on fire'));
    const bridge = await BridgeServer.start({ app: failed, staticDir });
    try {
      const res = await invoke(bridge, 'app.info');
      expect(res.status).toBe(500);
      const body = (await res.json()) as { ok: boolean; error: { code: string; message: string } };
      expect(body).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/failed to start/) } });
      expect(JSON.stringify(body)).not.toContain('disk on fire'); // the cause stays server-side
      expect((await fetch(`${bridge.origin}/`)).status).toBe(200);
    } finally {
      await bridge.dispose();
    }
  });
});
