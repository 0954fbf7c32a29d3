import fs from 'node:fs/promises';
import path from 'node:path';
import { ModelManager } from '../services/llm/index.js';

export interface AppServicesOptions {
  /** Where the app keeps its ledger, index, models and settings. */
  dataDir: string;
  /** Extra model folders to list (dev, tests). Also read from HEARTH_EXTRA_MODEL_DIRS (path-delimited). */
  extraModelDirs?: readonly string[];
  cpuOnly?: boolean;
}

/**
 * The composition root: every long-lived service, created once per process and disposed together.
 * Main (IPC), the bridge and the CLI all build their handlers on this.
 */
export class AppServices {
  private disposed = false;

  private constructor(
    readonly dataDir: string,
    readonly models: ModelManager,
  ) {}

  static async create(options: AppServicesOptions): Promise<AppServices> {
    const dataDir = path.resolve(options.dataDir);
    await fs.mkdir(dataDir, { recursive: true });
    const fromEnv = (process.env.HEARTH_EXTRA_MODEL_DIRS ?? '').split(path.delimiter).filter((d) => d.length > 0);
    const models = await ModelManager.create({
      modelsDir: path.join(dataDir, 'models'),
      extraDirs: [...(options.extraModelDirs ?? []), ...fromEnv],
      cpuOnly: options.cpuOnly ?? false,
    });
    return new AppServices(dataDir, models);
  }

  /** Idempotent: flushes and closes everything (ledger, index, model). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.models.dispose();
  }
}
