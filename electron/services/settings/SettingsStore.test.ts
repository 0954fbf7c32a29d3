import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/schemas/settings.js';
import { FileKeySecretStore } from './SecretStore.js';
import { SettingsStore } from './SettingsStore.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-settings-'));
});

describe('SettingsStore', () => {
  it('starts offline with defaults and persists updates', async () => {
    const store = await SettingsStore.open(dir, await FileKeySecretStore.open(dir));
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.get().offline).toBe(true);
    await store.update({ offline: false, metricsEnabled: true });
    const reopened = await SettingsStore.open(dir, await FileKeySecretStore.open(dir));
    expect(reopened.get()).toMatchObject({ offline: false, metricsEnabled: true });
  });

  it('rejects invalid settings without changing the stored ones', async () => {
    const store = await SettingsStore.open(dir, await FileKeySecretStore.open(dir));
    await expect(store.update({ power: { ...DEFAULT_SETTINGS.power, deviceWatts: -5 } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(store.get().power.deviceWatts).toBe(DEFAULT_SETTINGS.power.deviceWatts);
  });

  it('stores provider keys encrypted at rest and reports only hasKey', async () => {
    const store = await SettingsStore.open(dir, await FileKeySecretStore.open(dir));
    await store.update({ providers: [{ id: 'openai', name: 'OpenAI', kind: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', enabled: true, hasKey: true }] });
    expect(store.get().providers[0]!.hasKey).toBe(false); // derived, not taken from input
    await store.setProviderKey('openai', 'sk-very-secret-123');
    expect(store.get().providers[0]!.hasKey).toBe(true);
    const onDisk = (await fs.readFile(path.join(dir, 'keys.json'), 'utf8')) + (await fs.readFile(path.join(dir, 'settings.json'), 'utf8'));
    expect(onDisk).not.toContain('sk-very-secret-123');
    expect(JSON.stringify(store.get())).not.toContain('sk-very');
    const reopened = await SettingsStore.open(dir, await FileKeySecretStore.open(dir));
    expect(await reopened.providerKey('openai')).toBe('sk-very-secret-123');
    expect((await fs.stat(path.join(dir, 'secret.key'))).mode & 0o777).toBe(0o600);
  });

  it('keeps a corrupt settings file aside and starts from defaults', async () => {
    await fs.writeFile(path.join(dir, 'settings.json'), JSON.stringify({ offline: 'maybe' }));
    const store = await SettingsStore.open(dir, await FileKeySecretStore.open(dir));
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect((await fs.readdir(dir)).some((f) => f.startsWith('settings.invalid-'))).toBe(true);
  });

  it('a tampered key blob fails to decrypt instead of returning garbage', async () => {
    const secrets = await FileKeySecretStore.open(dir);
    const sealed = await secrets.encrypt('sk-abc');
    sealed.writeUInt8(sealed.readUInt8(sealed.length - 1) ^ 1, sealed.length - 1);
    await expect(secrets.decrypt(sealed)).rejects.toThrow();
  });

  it('opens a settings file written before providers had a models list (migration by default)', async () => {
    const old = { ...DEFAULT_SETTINGS, providers: [{ id: 'p1', name: 'Old', kind: 'openai-compatible', baseUrl: 'https://x.test/v1', model: 'm', enabled: true, hasKey: false }] };
    await fs.writeFile(path.join(dir, 'settings.json'), JSON.stringify(old));
    const store = await SettingsStore.open(dir, await FileKeySecretStore.open(dir));
    expect(store.get().providers[0]).toMatchObject({ id: 'p1', model: 'm', models: [] });
    expect((await fs.readdir(dir)).some((f) => f.startsWith('settings.invalid-'))).toBe(false);
  });
});
