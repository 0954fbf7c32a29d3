import fs from 'node:fs/promises';
import path from 'node:path';
import type { GgufSummary, InstalledModel, LoadedModel, LoadModelOptions } from '../../../shared/schemas/models.js';
import { ModelNotLoadedError } from './errors.js';
import { GgufSummaryCache } from './GgufSummaryCache.js';
import { inspectGguf } from './inspectGguf.js';
import { LocalLlamaProvider } from './LocalLlamaProvider.js';

export interface ModelManagerOptions {
  /** The app's models folder (downloads land here). Created if missing. */
  modelsDir: string;
  /** Extra read-only folders to list (e.g. generated fixtures in dev and tests). */
  extraDirs?: readonly string[];
  /** Force CPU inference. Default false. */
  cpuOnly?: boolean;
  /**
   * Where listed GGUF summaries persist (see `GgufSummaryCache`). Default `<modelsDir>/.gguf-summaries.json`;
   * null keeps them in memory only.
   */
  summaryCacheFile?: string | null;
  /** Header reader for listing. Default `inspectGguf`; tests inject a counting one. */
  readSummary?: (absolutePath: string) => Promise<GgufSummary>;
}

/**
 * Owns the one loaded local model and the list of models the user can pick from: files in the models
 * folder, extra folders, and any GGUF the user opened from elsewhere (remembered in `opened-models.json`).
 */
export class ModelManager {
  private provider: LocalLlamaProvider | null = null;
  private loading: Promise<LocalLlamaProvider> | null = null;

  private constructor(
    private readonly options: ModelManagerOptions,
    private readonly opened: Set<string>,
    /** Header summaries by path + size + mtime: a repeated `list()` costs a stat per file, not a header read. */
    readonly summaries: GgufSummaryCache,
  ) {}

  static async create(options: ModelManagerOptions): Promise<ModelManager> {
    await fs.mkdir(options.modelsDir, { recursive: true });
    let opened: string[] = [];
    try {
      opened = JSON.parse(await fs.readFile(path.join(options.modelsDir, 'opened-models.json'), 'utf8')) as string[];
    } catch {
      opened = [];
    }
    const file = options.summaryCacheFile === undefined ? path.join(options.modelsDir, '.gguf-summaries.json') : options.summaryCacheFile;
    const summaries = await GgufSummaryCache.open({
      ...(file === null ? {} : { file }),
      ...(options.readSummary === undefined ? {} : { read: options.readSummary }),
    });
    return new ModelManager(options, new Set(opened.filter((p) => typeof p === 'string')), summaries);
  }

  get modelsDir(): string {
    return this.options.modelsDir;
  }

  /**
   * Every model the user can pick. GGUF headers are read only for files that are new or changed (size or mtime)
   * since they were last read, in this process or (persisted summaries) an earlier one.
   */
  async list(): Promise<InstalledModel[]> {
    const found: InstalledModel[] = [];
    const seen = new Set<string>();
    const add = async (file: string, source: InstalledModel['source']) => {
      const absolute = path.resolve(file);
      if (seen.has(absolute)) return;
      seen.add(absolute);
      const stat = await fs.stat(absolute).catch(() => null);
      if (stat === null) return;
      if (stat.isDirectory()) {
        found.push({ id: absolute, kind: 'onnx', path: absolute, sizeBytes: 0, source, summary: null });
        return;
      }
      const summary = await this.summaries.get(absolute, stat);
      found.push({ id: absolute, kind: 'gguf', path: absolute, sizeBytes: stat.size, source, summary });
    };
    const scan = async (dir: string, source: InstalledModel['source']) => {
      const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(dir, entry.name);
        if (entry.isFile() && entry.name.toLowerCase().endsWith('.gguf')) await add(full, source);
        else if (entry.isDirectory()) {
          const hasOnnx = await fs.stat(path.join(full, 'onnx')).then(() => true, () => false);
          if (hasOnnx) await add(full, source);
          else await scan(full, source);
        }
      }
    };
    await scan(this.options.modelsDir, 'models-folder');
    for (const dir of this.options.extraDirs ?? []) await scan(dir, 'fixture');
    for (const file of this.opened) await add(file, 'opened');
    this.summaries.retain(seen);
    // a summary file that cannot be written costs the next start some header reads; the listing itself is right
    await this.summaries.flush().catch((error: unknown) => console.error('[models] could not persist GGUF summaries', error));
    return found;
  }

  /** Validate and remember any local GGUF file. Throws ModelNotFoundError / ModelCorruptError. */
  async open(filePath: string): Promise<InstalledModel> {
    const absolute = path.resolve(filePath);
    const summary = await inspectGguf(absolute);
    this.opened.add(absolute);
    await fs.writeFile(path.join(this.options.modelsDir, 'opened-models.json'), JSON.stringify([...this.opened], null, 2));
    return { id: absolute, kind: 'gguf', path: absolute, sizeBytes: summary.sizeBytes, source: 'opened', summary };
  }

  /** Validates the file first, so a missing or corrupt file leaves the current model loaded. */
  async load(options: LoadModelOptions): Promise<LoadedModel> {
    await inspectGguf(options.path);
    await this.unload();
    this.loading = LocalLlamaProvider.create({
      modelPath: options.path,
      ...(options.contextSize === undefined ? {} : { contextSize: options.contextSize }),
      ...(options.gpuLayers === undefined ? {} : { gpuLayers: options.gpuLayers }),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      cpuOnly: this.options.cpuOnly ?? false,
    });
    try {
      this.provider = await this.loading;
    } finally {
      this.loading = null;
    }
    return this.status()!;
  }

  async unload(): Promise<boolean> {
    if (this.loading !== null) await this.loading.catch(() => undefined);
    const current = this.provider;
    this.provider = null;
    if (current === null) return false;
    await current.dispose();
    return true;
  }

  status(): LoadedModel | null {
    const p = this.provider;
    if (p === null) return null;
    return {
      path: p.summary.path,
      name: p.model,
      contextSize: p.contextSize,
      threads: p.threads,
      gpu: p.gpu,
      gpuLayers: p.gpuLayers,
      loadMs: p.loadMs,
      summary: p.summary,
    };
  }

  /** The loaded provider, or a typed error telling the user to load one. */
  requireProvider(): LocalLlamaProvider {
    if (this.provider === null) throw new ModelNotLoadedError();
    return this.provider;
  }

  async dispose(): Promise<void> {
    await this.unload();
  }
}
