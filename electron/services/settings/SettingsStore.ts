import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';
import type { z } from 'zod';
import { DEFAULT_SETTINGS, Settings } from '../../../shared/schemas/settings.js';
import type { SecretStore } from './SecretStore.js';

/**
 * The user's settings (settings.json) and provider keys (keys.json, each value sealed by the SecretStore).
 * Writes are atomic (temp file + rename), so a crash never leaves half a settings file. Keys never leave this
 * class except through `providerKey()`, which only the main process calls when it builds a provider.
 */
export class SettingsStore {
  private listeners = new Set<(s: Settings) => void>();

  private constructor(
    private readonly dir: string,
    private readonly secrets: SecretStore,
    private current: Settings,
    private keys: Record<string, string>,
  ) {}

  static async open(dataDir: string, secrets: SecretStore): Promise<SettingsStore> {
    await fs.mkdir(dataDir, { recursive: true });
    let current = DEFAULT_SETTINGS;
    try {
      const parsed = Settings.safeParse({ ...DEFAULT_SETTINGS, ...JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')) });
      if (parsed.success) current = parsed.data;
      else await fs.copyFile(path.join(dataDir, 'settings.json'), path.join(dataDir, `settings.invalid-${Date.now()}.json`));
    } catch {
      // first run, or unreadable: defaults (the unreadable file is kept aside above when it parsed as JSON)
    }
    let keys: Record<string, string> = {};
    try {
      keys = JSON.parse(await fs.readFile(path.join(dataDir, 'keys.json'), 'utf8')) as Record<string, string>;
    } catch {
      keys = {};
    }
    return new SettingsStore(dataDir, secrets, current, keys);
  }

  get(): Settings {
    return this.current;
  }

  get secretStoreKind(): SecretStore['kind'] {
    return this.secrets.kind;
  }

  onChange(listener: (s: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Merge a patch, validate the whole, persist atomically. `hasKey` flags are derived, never taken from input. */
  async update(patch: Partial<z.input<typeof Settings>>): Promise<Settings> {
    const merged = { ...this.current, ...patch };
    merged.providers = (merged.providers ?? []).map((p) => ({ ...p, hasKey: this.keys[p.id] !== undefined }));
    const parsed = Settings.safeParse(merged);
    if (!parsed.success) {
      throw new AppError('INVALID_INPUT', 'Those settings are not valid.', {
        details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
      });
    }
    await this.writeAtomic('settings.json', JSON.stringify(parsed.data, null, 2));
    this.current = parsed.data;
    for (const l of this.listeners) l(this.current);
    return this.current;
  }

  async setProviderKey(providerId: string, key: string | null): Promise<void> {
    if (key === null) delete this.keys[providerId];
    else this.keys[providerId] = (await this.secrets.encrypt(key)).toString('base64');
    await this.writeAtomic('keys.json', JSON.stringify(this.keys), 0o600);
    await this.update({});
  }

  async providerKey(providerId: string): Promise<string | null> {
    const sealed = this.keys[providerId];
    return sealed === undefined ? null : this.secrets.decrypt(Buffer.from(sealed, 'base64'));
  }

  private async writeAtomic(name: string, text: string, mode = 0o644): Promise<void> {
    const target = path.join(this.dir, name);
    const temp = `${target}.${process.pid}.tmp`;
    try {
      await fs.writeFile(temp, text, { mode });
      await fs.rename(temp, target);
    } catch (err) {
      await fs.rm(temp, { force: true });
      if ((err as NodeJS.ErrnoException).code === 'ENOSPC') {
        throw new AppError('DISK_FULL', 'The disk is full; your settings were not changed.', { cause: err });
      }
      throw err;
    }
  }
}
