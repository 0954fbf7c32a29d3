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

describe('ModelDownloader.downloadUrl', () => {
  it('downloads by URL into downloads/, named after the URL, verified, and forgets nothing partial', async () => {
    const seen: string[] = [];
    const result = await downloader().downloadUrl({ url: `${base}/model.bin`, sha256: sha.toUpperCase() }, { onProgress: (e) => seen.push(e.modelId) });
    expect(result).toMatchObject({ fileName: 'model.bin', sizeBytes: body.length, sha256: sha });
    expect(result.path).toBe(path.join(dir, 'downloads', 'model.bin'));
    expect(await fs.readFile(result.path)).toEqual(body);
    expect(seen.at(-1)).toBe('url:model.bin');
    expect(await downloader().partialUrlDownloads()).toEqual([]);
  });

  it('remembers an interrupted URL download and continues it with a Range request', async () => {
    breakAfter = 70_000;
    const request = { url: `${base}/model.bin`, sha256: sha, fileName: 'my-model.gguf' };
    await expect(downloader().downloadUrl(request)).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED', retryable: true });
    expect(await downloader().partialUrlDownloads()).toEqual([
      { fileName: 'my-model.gguf', url: request.url, sha256: sha, sizeBytes: null, partialBytes: 70_000 },
    ]);
    const result = await downloader().downloadUrl(request);
    expect(ranges.at(-1)).toBe('bytes=70000-');
    expect(await fs.readFile(result.path)).toEqual(body);
    expect(await downloader().partialUrlDownloads()).toEqual([]);
  });

  it('a blocked host leaves nothing behind and names the host', async () => {
    const host = new URL(base).host;
    await expect(downloader(false).downloadUrl({ url: `${base}/model.bin`, sha256: sha })).rejects.toMatchObject({
      code: 'NETWORK_BLOCKED',
      details: { host, reason: 'not-allowed' },
    });
    expect(ranges).toEqual([]);
    expect(await downloader().partialUrlDownloads()).toEqual([]);
  });

  it('deletes a corrupt URL download and its memory; refuses a different file under an installed name', async () => {
    await expect(downloader().downloadUrl({ url: `${base}/bad.bin`, sha256: sha })).rejects.toMatchObject({ code: 'CHECKSUM_MISMATCH' });
    expect(await fs.readdir(path.join(dir, 'downloads'))).toEqual([]);
    await downloader().downloadUrl({ url: `${base}/model.bin`, sha256: sha, fileName: 'x.gguf' });
    await expect(downloader().downloadUrl({ url: `${base}/model.bin`, sha256: 'a'.repeat(64), fileName: 'x.gguf' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { fileName: 'x.gguf', actual: sha },
    });
  });

  it('refuses a second concurrent download of the same file, and discards a partial one', async () => {
    const d = downloader();
    breakAfter = 50_000;
    const first = d.downloadUrl({ url: `${base}/model.bin`, sha256: sha, fileName: 'twice.bin' });
    await expect(d.downloadUrl({ url: `${base}/model.bin`, sha256: sha, fileName: 'twice.bin' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { reason: 'in-progress' },
    });
    await expect(first).rejects.toMatchObject({ code: 'DOWNLOAD_FAILED' });
    expect((await d.partialUrlDownloads()).map((p) => p.partialBytes)).toEqual([50_000]);
    expect(await d.discardPartial('twice.bin')).toBe(true);
    expect(await d.partialUrlDownloads()).toEqual([]);
    expect(await d.discardPartial('twice.bin')).toBe(false);
  });

  it('rejects unsafe file names and non-http URLs', async () => {
    await expect(downloader().downloadUrl({ url: `${base}/model.bin`, sha256: sha, fileName: '../evil' })).rejects.toThrow();
    await expect(downloader().downloadUrl({ url: 'file:///etc/passwd', sha256: sha })).rejects.toThrow();
  });
});
