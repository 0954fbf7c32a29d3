import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset, DatasetCase, DatasetKind } from './DatasetCase.js';
import { DatasetInvalidError } from './DatasetInvalidError.js';
import { parseDatasetJsonl, serializeDatasetJsonl } from './parseDatasetJsonl.js';

export type DatasetVersion = {
  version: number;
  /** sha256 of the canonical JSONL (64 hex). Equal content ⇔ equal hash. */
  hash: string;
  kind: DatasetKind;
  caseCount: number;
  createdAt: string;
};

type Manifest = { name: string; versions: DatasetVersion[] };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Versioned datasets as plain files: `<dir>/<name>/v<N>.jsonl` plus `<dir>/<name>/manifest.json`.
 * Saving content identical to the latest version returns that version instead of creating a new
 * one, so eval runs can cite `name@vN` + hash and re-running an import is a no-op. Files are written
 * to a temp name and renamed (atomic on one filesystem). Plain files, not SQLite: datasets are
 * diffable, hand-editable and small; the trade-off is no cross-process locking (one writer at a time).
 */
export class DatasetStore {
  private disposed = false;

  private constructor(readonly dir: string) {}

  static async open(dir: string): Promise<DatasetStore> {
    await mkdir(dir, { recursive: true });
    return new DatasetStore(dir);
  }

  /** Stores `cases` as the next version of `name` (or returns the latest one if the content is unchanged). */
  async save(name: string, cases: readonly DatasetCase[], kind: DatasetKind = 'qa'): Promise<DatasetVersion> {
    const folder = this.folder(name);
    const text = serializeDatasetJsonl(cases);
    // Validate through the same parser the loader uses, so what we write can always be read back.
    const { errors } = parseDatasetJsonl(text, { name, kind });
    if (errors.length) throw new DatasetInvalidError(name, errors, `Dataset "${name}" has invalid cases: line ${errors[0]!.line}: ${errors[0]!.message}.`);
    const hash = createHash('sha256').update(text).digest('hex');
    const manifest = await this.readManifest(name);
    const latest = manifest.versions.at(-1);
    if (latest && latest.hash === hash && latest.kind === kind) return latest;
    const entry: DatasetVersion = { version: (latest?.version ?? 0) + 1, hash, kind, caseCount: cases.length, createdAt: new Date().toISOString() };
    await mkdir(folder, { recursive: true });
    await this.atomicWrite(path.join(folder, `v${entry.version}.jsonl`), text);
    await this.atomicWrite(path.join(folder, 'manifest.json'), JSON.stringify({ name, versions: [...manifest.versions, entry] }, null, 2));
    return entry;
  }

  /** Imports JSONL text; returns the stored version and the per-line errors of skipped lines. */
  async importJsonl(name: string, text: string, kind: DatasetKind = 'qa') {
    const { dataset, errors } = parseDatasetJsonl(text, { name, kind });
    const version = await this.save(name, dataset.cases, kind);
    return { version, dataset, errors };
  }

  /** Loads a version (default: latest). Verifies the content hash. */
  async load(name: string, version?: number): Promise<Dataset & { version: DatasetVersion }> {
    const manifest = await this.readManifest(name);
    const entry = version === undefined ? manifest.versions.at(-1) : manifest.versions.find((v) => v.version === version);
    if (!entry) throw new DatasetInvalidError(name, [], `Dataset "${name}"${version === undefined ? '' : ` version ${version}`} does not exist.`);
    const text = await readFile(path.join(this.folder(name), `v${entry.version}.jsonl`), 'utf8');
    const hash = createHash('sha256').update(text).digest('hex');
    if (hash !== entry.hash) throw new DatasetInvalidError(name, [], `Dataset "${name}" v${entry.version} was modified on disk (hash mismatch).`);
    const { dataset } = parseDatasetJsonl(text, { name, kind: entry.kind });
    return { ...dataset, version: entry };
  }

  /** JSONL of a stored version, for export. */
  async exportJsonl(name: string, version?: number): Promise<string> {
    return serializeDatasetJsonl((await this.load(name, version)).cases);
  }

  async versions(name: string): Promise<DatasetVersion[]> {
    return (await this.readManifest(name)).versions;
  }

  async list(): Promise<string[]> {
    this.assertOpen();
    const entries = await readdir(this.dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && NAME.test(e.name)).map((e) => e.name).sort();
  }

  dispose(): void {
    this.disposed = true;
  }

  private folder(name: string): string {
    this.assertOpen();
    if (!NAME.test(name)) throw new DatasetInvalidError(name, [], `Dataset name "${name}" is invalid: use letters, digits, ".", "_" or "-".`);
    return path.join(this.dir, name);
  }

  private async readManifest(name: string): Promise<Manifest> {
    try {
      return JSON.parse(await readFile(path.join(this.folder(name), 'manifest.json'), 'utf8')) as Manifest;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { name, versions: [] };
      throw e;
    }
  }

  private async atomicWrite(file: string, text: string): Promise<void> {
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  }

  private assertOpen(): void {
    if (this.disposed) throw new Error('DatasetStore is disposed');
  }
}
