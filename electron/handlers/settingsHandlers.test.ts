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
