import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import { DownloadUrlInput, PartialDownload, type DownloadUrlResult, type ManifestEntry } from '../../../shared/schemas/models.js';
import { ChecksumMismatchError, DownloadFailedError, DownloadInProgressError } from './downloadErrors.js';

/** URL downloads land in `<modelsDir>/downloads/`; the model list scans it like the rest of the models folder. */
const URL_DOWNLOADS = 'downloads';

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
  /** Target paths being written right now: a second download of the same file would corrupt the `.part`. */
  private readonly inFlight = new Set<string>();

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

  /**
   * Download one file by URL into `downloads/<fileName>` (the name defaults to the URL's last path segment).
   * Same guarantees as manifest downloads: network guard, resume, size + sha256 check before the final name.
   * A `<file>.part.json` sidecar remembers the URL and checksum while the file is partial, so
   * `partialUrlDownloads()` can offer to continue it after a cancel, a lost connection or a restart.
   */
  async downloadUrl(
    request: DownloadUrlInput,
    options: { signal?: AbortSignal; onProgress?: (e: DownloadProgressEvent) => void } = {},
  ): Promise<DownloadUrlResult> {
    const parsed = DownloadUrlInput.parse(request);
    const fileName = parsed.fileName ?? fileNameFromUrl(parsed.url);
    const relative = `${URL_DOWNLOADS}/${fileName}`;
    const target = this.targetPath(relative);
    const sidecar = `${target}.part.json`;
    if (this.inFlight.has(target)) throw new DownloadInProgressError(fileName);
    this.inFlight.add(target);
    try {
      return await this.downloadUrlTo(parsed, fileName, relative, target, sidecar, options);
    } finally {
      this.inFlight.delete(target);
    }
  }

  private async downloadUrlTo(
    parsed: z.output<typeof DownloadUrlInput>,
    fileName: string,
    relative: string,
    target: string,
    sidecar: string,
    options: { signal?: AbortSignal; onProgress?: (e: DownloadProgressEvent) => void },
  ): Promise<DownloadUrlResult> {
    if (await exists(target)) {
      const actual = await sha256File(target);
      if (parsed.sha256 !== null && actual !== parsed.sha256) {
        throw new AppError('INVALID_INPUT', `A different ${fileName} is already installed (sha256 ${actual.slice(0, 12)}…). Pick another file name.`, {
          details: { fileName, expected: parsed.sha256, actual },
        });
      }
      return { path: target, fileName, sizeBytes: (await fsp.stat(target)).size, sha256: actual };
    } else {
      await fsp.mkdir(path.dirname(target), { recursive: true });
      const remembered: PartialDownload = { fileName, url: parsed.url, sha256: parsed.sha256, sizeBytes: parsed.sizeBytes, partialBytes: 0 };
      await fsp.writeFile(sidecar, JSON.stringify(remembered));
    }
    try {
      await this.fetchToFile(`url:${fileName}`, { url: parsed.url, path: relative, sizeBytes: parsed.sizeBytes, sha256: parsed.sha256 }, target, options);
    } catch (err) {
      // a corrupt download was deleted, or nothing arrived (blocked host, 404): nothing to continue
      if (err instanceof ChecksumMismatchError || !(await exists(`${target}.part`))) await fsp.rm(sidecar, { force: true });
      throw err;
    }
    await fsp.rm(sidecar, { force: true });
    const size = (await fsp.stat(target)).size;
    return { path: target, fileName, sizeBytes: size, sha256: parsed.sha256 ?? (await sha256File(target)) };
  }

  /** URL downloads that stopped part-way, oldest first by name, with the bytes already on disk. */
  async partialUrlDownloads(): Promise<PartialDownload[]> {
    const dir = path.join(this.options.modelsDir, URL_DOWNLOADS);
    const names = await fsp.readdir(dir).catch(() => [] as string[]);
    const found: PartialDownload[] = [];
    for (const name of names.filter((n) => n.endsWith('.part.json')).sort()) {
      const remembered = PartialDownload.safeParse(JSON.parse(await fsp.readFile(path.join(dir, name), 'utf8').catch(() => 'null')));
      if (!remembered.success) continue; // not ours, or damaged: ignore rather than offer a broken resume
      const partialBytes = await fsp.stat(path.join(dir, name.slice(0, -'.json'.length))).then((s) => s.size, () => 0);
      found.push({ ...remembered.data, partialBytes });
    }
    return found;
  }

  /** Delete a partial URL download (its `.part` and sidecar). False when there was none. */
  async discardPartial(fileName: string): Promise<boolean> {
    const target = this.targetPath(`${URL_DOWNLOADS}/${fileName}`);
    if (this.inFlight.has(target)) throw new DownloadInProgressError(fileName);
    const had = (await exists(`${target}.part`)) || (await exists(`${target}.part.json`));
    await fsp.rm(`${target}.part`, { force: true });
    await fsp.rm(`${target}.part.json`, { force: true });
    return had;
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
    if (await exists(target)) return target;
    if (this.inFlight.has(target)) throw new DownloadInProgressError(file.path);
    this.inFlight.add(target);
    try {
      return await this.fetchToFile(modelId, file, target, options);
    } finally {
      this.inFlight.delete(target);
    }
  }

  private async fetchToFile(
    modelId: string,
    file: ManifestEntry['files'][number],
    target: string,
    options: { signal?: AbortSignal; onProgress?: (e: DownloadProgressEvent) => void },
  ): Promise<string> {
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

function exists(file: string): Promise<boolean> {
  return fsp.stat(file).then(() => true, () => false);
}

function fileNameFromUrl(url: string): string {
  const last = decodeURIComponent(new URL(url).pathname.split('/').filter((s) => s !== '').pop() ?? '');
  const name = last.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._-]+/, '').slice(0, 200);
  if (name === '') throw new AppError('INVALID_INPUT', `Cannot name a file after ${url}; give a file name.`, { details: { url } });
  return name;
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
