import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ManifestEntry } from '../../../shared/schemas/models.js';
import { NetworkGuard } from '../network/index.js';
import { ModelDownloader } from './ModelDownloader.js';

const payload = crypto.createHash('sha512').update('seed').digest(); // 64 bytes...
const body = Buffer.concat(Array.from({ length: 4096 }, (_, i) => Buffer.from([...payload].map((b) => (b + i) & 0xff)))); // 256 KiB
const sha = crypto.createHash('sha256').update(body).digest('hex');

let server: http.Server;
let base = '';
let breakAfter: number | null = null;
let ranges: (string | undefined)[] = [];
let dir: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    ranges.push(req.headers.range);
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const content = req.url === '/bad.bin' ? Buffer.from(body).fill(1, 1000, 1001) : body;
    const headers: Record<string, string> = { 'Content-Length': String(content.length - start) };
    if (req.url === '/etag.bin') headers['X-Linked-Etag'] = `"${sha}"`;
    res.writeHead(range ? 206 : 200, headers);
    const slice = content.subarray(start);
    if (breakAfter !== null) {
      res.write(slice.subarray(0, breakAfter));
      breakAfter = null;
      setTimeout(() => res.destroy(), 20);
      return;
    }
    res.end(slice);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-dl-'));
  ranges = [];
});

const entry = (file: string, overrides: Partial<ManifestEntry['files'][number]> = {}): ManifestEntry => ({
  id: 'test-model',
  name: 'Test',
  kind: 'gguf',
  role: 'chat',
  description: '',
  license: 'MIT',
  minRamGb: 1,
  files: [{ url: `${base}/${file}`, path: `test/${file}`, sizeBytes: body.length, sha256: sha, ...overrides }],
});

function downloader(allowed = true): ModelDownloader {
  const host = new URL(base).host;
  return new ModelDownloader({ modelsDir: dir, fetch: new NetworkGuard(() => ({ offline: false, allowedHosts: allowed ? [host] : [] })).fetch });
}

describe('ModelDownloader', () => {
  it('downloads, reports progress and verifies the sha256', async () => {
    const progress: number[] = [];
    const [file] = await downloader().download(entry('model.bin'), { onProgress: (e) => progress.push(e.receivedBytes) });
    expect(await fs.readFile(file!)).toEqual(body);
    expect(progress.at(-1)).toBe(body.length);
    expect((await downloader().status(entry('model.bin')))[0]).toMatchObject({ installed: true, partialBytes: 0 });
  });

  it('resumes an interrupted download with a Range request', async () => {
    breakAfter = 100_000;
    await expect(downloader().download(entry('model.bin'))).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED', retryable: true });
    const status = (await downloader().status(entry('model.bin')))[0]!;
    expect(status.installed).toBe(false);
    expect(status.partialBytes).toBe(100_000);
    const [file] = await downloader().download(entry('model.bin'));
    expect(ranges.at(-1)).toBe('bytes=100000-');
    expect(await fs.readFile(file!)).toEqual(body);
  });

  it('deletes a download whose checksum does not match, and never installs it', async () => {
    await expect(downloader().download(entry('bad.bin'))).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH', details: { expected: sha } });
    const status = (await downloader().status(entry('bad.bin')))[0]!;
    expect(status).toMatchObject({ installed: false, partialBytes: 0 });
  });

  it('verifies against the server sha256 ETag when the manifest has none, and refuses when neither has one', async () => {
    const [file] = await downloader().download(entry('etag.bin', { sha256: null, sizeBytes: null }));
    expect(await fs.readFile(file!)).toEqual(body);
    await expect(downloader().download(entry('model.bin', { sha256: null }))).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
  });

  it('is stopped by the offline guard for a host the user has not approved', async () => {
    await expect(downloader(false).download(entry('model.bin'))).rejects.toMatchObject({ code: 'NETWORK_BLOCKED' });
    expect(ranges).toEqual([]);
  });

  it('refuses manifest paths that escape the models folder', async () => {
    await expect(downloader().download(entry('model.bin', { path: '../../etc/evil' }))).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
  });

  it('can be cancelled and resumed', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(downloader().download(entry('model.bin'), { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
