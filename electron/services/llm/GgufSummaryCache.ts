import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { GgufSummary } from '../../../shared/schemas/models.js';
import { inspectGguf } from './inspectGguf.js';

/** Bump when `inspectGguf`'s summary changes meaning, so persisted summaries are read again. */
const FORMAT_VERSION = 1;

const PersistedFile = z.object({
  version: z.literal(FORMAT_VERSION),
  entries: z.record(z.string(), z.object({ size: z.number(), mtimeMs: z.number(), summary: GgufSummary })),
});

export interface GgufSummaryCacheOptions {
  /**
   * JSON file the summaries persist to, so a restarted app lists its models without reading their headers again.
   * Absent: memory only. An unreadable, foreign or corrupt file is ignored (it is only a cache: every entry can be
   * rebuilt from the GGUF files) and rewritten on the next `flush`.
   */
  file?: string;
  /** Reads one header. Default `inspectGguf`. Tests inject a counting reader. */
  read?: (absolutePath: string) => Promise<GgufSummary>;
}

interface Entry {
  size: number;
  mtimeMs: number;
  /** null: the file could not be inspected (corrupt, truncated); kept in memory only, so a restart tries again. */
  summary: GgufSummary | null;
}

/**
 * GGUF header summaries keyed by absolute path + size + mtimeMs. `models.list` used to read every header on every
 * call (node-llama-cpp's reader walks the whole KV table and tensor list: 14 s cold for a folder of 0.5 GB bench
 * models on this loaded 2-core machine); with this cache a repeated list is a `stat` per file. Measured
 * (`npm run bench:models-list`, the 5 fixture GGUFs incl. the 0.5 GB one, load average ~9): cold 5.8 s, warm 0.6 ms,
 * after a restart 111 ms (the corrupt fixture, whose failure is not persisted, is read again).
 *
 * Invalidation: an entry is used only while the file has the same size and mtimeMs; a touched, re-downloaded or
 * replaced file is read again. Trade-off: a same-size in-place rewrite that preserves mtime would be missed — no
 * downloader or editor does that, and hashing gigabytes per listing is what this cache exists to avoid.
 */
export class GgufSummaryCache {
  private readonly entries = new Map<string, Entry>();
  private dirty = false;
  private readCount = 0;
  private readonly read: (absolutePath: string) => Promise<GgufSummary>;

  private constructor(private readonly file: string | undefined, read: ((absolutePath: string) => Promise<GgufSummary>) | undefined) {
    this.read = read ?? inspectGguf;
  }

  static async open(options: GgufSummaryCacheOptions = {}): Promise<GgufSummaryCache> {
    const cache = new GgufSummaryCache(options.file, options.read);
    if (options.file !== undefined) {
      const raw = await fs.readFile(options.file, 'utf8').catch(() => null);
      let parsed: z.infer<typeof PersistedFile> | null = null;
      if (raw !== null) {
        try {
          const result = PersistedFile.safeParse(JSON.parse(raw));
          parsed = result.success ? result.data : null;
        } catch {
          parsed = null; // not JSON: rebuilt on the next flush
        }
      }
      for (const [p, e] of Object.entries(parsed?.entries ?? {})) cache.entries.set(p, { size: e.size, mtimeMs: e.mtimeMs, summary: e.summary });
    }
    return cache;
  }

  /** Header reads made by this instance (status, tests). */
  get reads(): number {
    return this.readCount;
  }

  /**
   * The summary of `absolutePath` with this size and mtime: cached, or read now. Null when the file cannot be
   * inspected (the failure is cached for the same size + mtime in this process).
   */
  async get(absolutePath: string, stat: { size: number; mtimeMs: number }): Promise<GgufSummary | null> {
    const cached = this.entries.get(absolutePath);
    if (cached !== undefined && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return cached.summary;
    this.readCount++;
    const summary = await this.read(absolutePath).catch(() => null);
    this.entries.set(absolutePath, { size: stat.size, mtimeMs: stat.mtimeMs, summary });
    this.dirty = true;
    return summary;
  }

  /** Forgets files not in `keep` (deleted or moved since the last listing). */
  retain(keep: ReadonlySet<string>): void {
    for (const p of [...this.entries.keys()]) {
      if (!keep.has(p)) {
        this.entries.delete(p);
        this.dirty = true;
      }
    }
  }

  /** Writes the readable summaries to the file (atomically: temp file + rename) if anything changed. */
  async flush(): Promise<void> {
    if (this.file === undefined || !this.dirty) return;
    this.dirty = false;
    const entries: Record<string, { size: number; mtimeMs: number; summary: GgufSummary }> = {};
    for (const [p, e] of this.entries) if (e.summary !== null) entries[p] = { size: e.size, mtimeMs: e.mtimeMs, summary: e.summary };
    const tmp = `${this.file}.${randomUUID()}.tmp`;
    try {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await fs.writeFile(tmp, JSON.stringify({ version: FORMAT_VERSION, entries }));
      await fs.rename(tmp, this.file);
    } catch (error) {
      this.dirty = true;
      await fs.rm(tmp, { force: true });
      throw error;
    }
  }
}
