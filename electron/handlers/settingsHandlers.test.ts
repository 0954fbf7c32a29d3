import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../shared/contract/index.js';
import { createApp, type HearthApp } from './createApp.js';
import { createDirectClient } from './createDirectClient.js';

const GGUF = '/work/shared/data/models/stories260K.gguf';
let dir: string;
let app: HearthApp;
let api: ApiClient;
let server: http.Server;
let host = '';
let body: Buffer;

beforeAll(async () => {
  body = await fs.readFile(GGUF);
  server = http.createServer((req, res) => {
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    res.writeHead(range ? 206 : 200, { 'Content-Length': String(body.length - start) });
    res.end(body.subarray(start));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-settings-handlers-'));
  app = await createApp({ dataDir: dir, cpuOnly: true });
  api = createDirectClient(app);
});
afterAll(async () => {
  await app.dispose();
  await new Promise<void>((r) => server.close(() => r()));
  await fs.rm(dir, { recursive: true, force: true });
});

describe('settings and URL download handlers', () => {
  it('blocks an unapproved host with a typed error, then downloads once the host is approved and lists the model', async () => {
    const sha256 = crypto.createHash('sha256').update(body).digest('hex');
    const request = { url: `http://${host}/files/stories260K.gguf`, sha256, fileName: 'stories-copy.gguf' };
    await expect(api['models.downloadUrl'](request)).rejects.toMatchObject({ code: 'NETWORK_BLOCKED', details: { host, reason: 'not-allowed' } });
    expect(await api['models.partialDownloads']({})).toEqual([]);

    await api['settings.update']({ approvedDownloadHosts: [host] });
    const result = await api['models.downloadUrl'](request);
    expect(result).toMatchObject({ fileName: 'stories-copy.gguf', sizeBytes: body.length, sha256 });
    const listed = (await api['models.list']({})).find((m) => m.path === result.path);
    expect(listed?.summary?.architecture).toBe('llama');
  });

  it('keeps provider keys out of every settings response and migrates providers without a models list', async () => {
    const settings = await api['settings.update']({
      providers: [{ id: 'acme', name: 'Acme', kind: 'openai-compatible', baseUrl: 'https://api.acme.test/v1', model: 'acme-small', enabled: false, hasKey: false }],
    });
    expect(settings.providers[0]!.models).toEqual([]);
    expect(await api['settings.setProviderKey']({ providerId: 'acme', key: 'sk-acme-secret-42' })).toEqual({ hasKey: true });
    const got = await api['settings.get']({});
    expect(got.settings.providers[0]!.hasKey).toBe(true);
    expect(got.secretStorage).toBe('file-key');
    expect(JSON.stringify(got)).not.toContain('sk-acme');
  });
});

describe('Settings → Response cache', () => {
  it('validates, applies live to the cache and persists across a restart', async () => {
    const sub = path.join(dir, 'cache-settings');
    const first = await createApp({ dataDir: sub, cpuOnly: true });
    try {
      const api1 = createDirectClient(first);
      expect((await api1['settings.get']({})).settings.cache).toEqual({ semanticEnabled: true, semanticThreshold: 0.95, ttlHours: 168 });
      for (const bad of [{ semanticThreshold: 0.3 }, { semanticThreshold: 1.2 }, { ttlHours: 0 }, { ttlHours: 9000 }]) {
        await expect(api1['settings.update']({ cache: { semanticEnabled: true, semanticThreshold: 0.95, ttlHours: 168, ...bad } })).rejects.toMatchObject({
          code: 'INVALID_INPUT',
        });
      }
      expect(first.services.costs.cache.semanticThreshold).toBe(0.95); // a refused update changes nothing
      await api1['settings.update']({ cache: { semanticEnabled: false, semanticThreshold: 0.97, ttlHours: 48 } });
      expect(first.services.costs.cache.semanticThreshold).toBe(0.97);
      expect(first.services.costs.cache.ttlMs).toBe(48 * 3_600_000);
      expect(first.services.costs.cache.semanticActive).toBe(false);
    } finally {
      await first.dispose();
    }
    const second = await createApp({ dataDir: sub, cpuOnly: true });
    try {
      expect((await createDirectClient(second)['settings.get']({})).settings.cache).toEqual({ semanticEnabled: false, semanticThreshold: 0.97, ttlHours: 48 });
      expect(second.services.costs.cache.semanticThreshold).toBe(0.97);
      expect(second.services.costs.cache.ttlMs).toBe(48 * 3_600_000);
    } finally {
      await second.dispose();
    }
  });
});
