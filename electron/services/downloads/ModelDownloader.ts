import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';
import type { ManifestEntry } from '../../../shared/schemas/models.js';
import { ChecksumMismatchError, DownloadFailedError } from './downloadErrors.js';

export interface DownloadProgressEvent {
  modelId: string;
  file: string;
  receivedBytes: number;
  totalBytes: number | null;
  bytesPerSecond: number;
  etaMs: number | null;
}

export interface ModelDownloaderOptions {
  modelsDir: string;
  /** The offline guard's fetch (refuses hosts the user has not approved). */
  fetch: typeof fetch;
}

/**
 * Downloads manifest models into the models folder: streams to `<file>.part`, resumes an interrupted download
 * with an HTTP Range request, reports progress, and verifies the sha256 before the file takes its real name.
 * A file is never visible under its final name unless its checksum matched.
 */
export class ModelDownloader {
  constructor(private readonly options: ModelDownloaderOptions) {}

  /** Final paths of the entry's files, and whether each is already complete. */
  async status(entry: ManifestEntry): Promise<{ path: string; installed: boolean; partialBytes: number }[]> {
    return Promise.all(
      entry.files.map(async (f) => {
        const target = this.targetPath(f.path);
        const installed = await fsp.stat(target).then(() => true, () => false);
        const partialBytes = await fsp.stat(target + '.part').then((s) => s.size, () => 0);
        return { path: target, installed, partialBytes };
      }),
    );
  }

  async download(entry: ManifestEntry, options: { signal?: AbortSignal; onProgress?: (e: DownloadProgressEvent) => void } = {}): Promise<string[]> {
    const done: string[] = [];
    for (const file of entry.files) done.push(await this.downloadFile(entry.id, file, options));
    return done;
  }

  private targetPath(relative: string): string {
    const root = path.resolve(this.options.modelsDir);
    const target = path.resolve(root, relative);
    if (!target.startsWith(root + path.sep)) throw new AppError('PATH_NOT_ALLOWED', `Manifest path escapes the models folder: ${relative}`);
    return target;
  }

  private async downloadFile(
    modelId: string,
    file: ManifestEntry['files'][number],
    options: { signal?: AbortSignal; onProgress?: (e: DownloadProgressEvent) => void },
  ): Promise<string> {
    const target = this.targetPath(file.path);
    if (await fsp.stat(target).then(() => true, () => false)) return target;
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const part = target + '.part';
    let offset = await fsp.stat(part).then((s) => s.size, () => 0);
    if (file.sizeBytes !== null && offset > file.sizeBytes) {
      await fsp.rm(part);
      offset = 0;
    }
    let res: Response;
    try {
      res = await this.options.fetch(file.url, {
        headers: offset > 0 ? { Range: `bytes=${offset}-` } : {},
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (options.signal?.aborted) throw new AppError('CANCELLED', 'The download was cancelled; it will resume from where it stopped.');
      throw new DownloadFailedError(file.url, (err as Error).message, null, err);
    }
    if (res.status === 416 && file.sizeBytes !== null && offset === file.sizeBytes) {
      // already fully downloaded into .part: only verification is left
    } else if (!(res.status === 200 || res.status === 206)) {
      throw new DownloadFailedError(file.url, `HTTP ${res.status}`, res.status);
    }
    if (res.status === 200 && offset > 0) offset = 0; // server ignored the Range: start over
    const expected = file.sha256 ?? sha256FromEtag(res.headers.get('x-linked-etag') ?? res.headers.get('etag'));
    if (expected === null) {
      throw new ChecksumMismatchError(file.path, 'a published sha256', 'none: neither the manifest nor the server gives a checksum to verify against');
    }
    const lengthHeader = Number(res.headers.get('content-length') ?? NaN);
    const total = file.sizeBytes ?? (Number.isFinite(lengthHeader) ? offset + lengthHeader : null);
    if (res.status !== 416 && res.body !== null) {
      const out = fs.createWriteStream(part, { flags: offset > 0 && res.status === 206 ? 'a' : 'w' });
      let received = offset;
      const started = performance.now();
      let lastReport = 0;
      try {
        const reader = res.body.getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          received += value.length;
          if (!out.write(value)) await new Promise<void>((r) => out.once('drain', () => r()));
          const now = performance.now();
          if (now - lastReport > 200 || (total !== null && received === total)) {
            lastReport = now;
            const rate = (received - offset) / Math.max(0.001, (now - started) / 1000);
            options.onProgress?.({
              modelId,
              file: file.path,
              receivedBytes: received,
              totalBytes: total,
              bytesPerSecond: rate,
              etaMs: total === null || rate === 0 ? null : ((total - received) / rate) * 1000,
            });
          }
        }
      } catch (err) {
        if (options.signal?.aborted) throw new AppError('CANCELLED', 'The download was cancelled; it will resume from where it stopped.');
        throw new DownloadFailedError(file.url, `the connection broke at ${received} bytes; retry to resume`, null, err);
      } finally {
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      }
    }
    const size = (await fsp.stat(part)).size;
    if (file.sizeBytes !== null && size < file.sizeBytes) {
      throw new DownloadFailedError(file.url, `incomplete: ${size} of ${file.sizeBytes} bytes; retry to resume`);
    }
    if (file.sizeBytes !== null && size > file.sizeBytes) {
      await fsp.rm(part, { force: true });
      throw new ChecksumMismatchError(file.path, `${file.sizeBytes} bytes`, `${size} bytes`);
    }
    const actual = await sha256File(part);
    if (actual !== expected) {
      await fsp.rm(part, { force: true });
      throw new ChecksumMismatchError(file.path, expected, actual);
    }
    await fsp.rename(part, target);
    return target;
  }
}

function sha256FromEtag(etag: string | null): string | null {
  const m = /^(?:W\/)?"?([0-9a-f]{64})"?$/.exec(etag?.trim() ?? '');
  return m?.[1] ?? null;
}

async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
