import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import { createApp, type HearthApp } from './createApp.js';
import { createDirectClient } from './createDirectClient.js';
import { Dispatcher } from './Dispatcher.js';
import { HEARTH_VERSION } from './version.js';

let dir: string;
let app: HearthApp;
let api: ApiClient;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-dispatch-'));
  app = await createApp({ dataDir: dir, cpuOnly: true });
  api = createDirectClient(app);
});
afterAll(async () => {
  await app.dispose();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('Dispatcher', () => {
  it('answers a valid call with validated output', async () => {
    const info = await api['app.info']({});
    expect(info).toMatchObject({ name: 'Hearth', version: HEARTH_VERSION, transport: 'direct', dataDir: dir });
  });

  it('rejects an unknown channel with UNKNOWN_CHANNEL', async () => {
    const envelope = await app.dispatcher.dispatch('models.delete_everything', {}, { transport: 'direct' });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL', retryable: false } });
  });

  it('rejects a malformed payload with INVALID_INPUT and the failing path', async () => {
    const envelope = await app.dispatcher.dispatch('models.load', { path: 42, contextSize: -1 }, { transport: 'direct' });
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.code).toBe('INVALID_INPUT');
    const paths = (envelope.error.details?.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['path', 'contextSize']));
  });

  it('rejects unknown extra keys (strict inputs)', async () => {
    const envelope = await app.dispatcher.dispatch('models.inspect', { path: 'x.gguf', exec: 'rm -rf /' }, { transport: 'direct' });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('turns a typed service failure into its code over the typed client', async () => {
    await expect(api['models.inspect']({ path: path.join(dir, 'missing.gguf') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api['llm.generate']({ prompt: 'hi' })).rejects.toMatchObject({ code: 'MODEL_NOT_LOADED' });
  });

  it('reports a corrupt GGUF as MODEL_CORRUPT', async () => {
    const notGguf = path.join(dir, 'fake.gguf');
    await fs.writeFile(notGguf, 'this is not a model');
    await expect(api['models.inspect']({ path: notGguf })).rejects.toMatchObject({ code: 'MODEL_CORRUPT' });
    const badHeader = path.join(dir, 'bad-header.gguf');
    await fs.writeFile(badHeader, Buffer.concat([Buffer.from('GGUF'), Buffer.from([3, 0, 0, 0]), Buffer.alloc(7, 0xff)]));
    await expect(api['models.inspect']({ path: badHeader })).rejects.toMatchObject({ code: 'MODEL_CORRUPT' });
  });

  it('hides unexpected failures as INTERNAL, logging the stack server-side only', async () => {
    const logged: unknown[] = [];
    const secretFailure = new Error('secret path /home/alice/tax-2025.pdf');
    const dispatcher = new Dispatcher(
      () => ({ ...app.handlers, 'app.info': async () => { throw secretFailure; } }),
      () => {},
      (_m, e) => logged.push(e),
    );
    const envelope = await dispatcher.dispatch('app.info', {}, { transport: 'direct' });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(envelope)).not.toContain('tax-2025');
    expect(JSON.stringify(envelope)).not.toContain('stack');
    expect(logged).toEqual([secretFailure]);
  });

  it('refuses a handler result that breaks the output schema', async () => {
    const log = vi.fn();
    const dispatcher = new Dispatcher(
      () => ({ ...app.handlers, 'models.status': async () => ({ loaded: 'yes' }) as never }),
      () => {},
      log,
    );
    const envelope = await dispatcher.dispatch('models.status', {}, { transport: 'direct' });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'INVALID_OUTPUT' } });
    expect(log).toHaveBeenCalledOnce();
  });

  it('cancels an in-flight call by request id', async () => {
    let sawAbort = false;
    const dispatcher: Dispatcher = new Dispatcher(
      () => ({
        ...app.handlers,
        'models.list': (_input, ctx) =>
          new Promise((_resolve, reject) => {
            ctx.signal.addEventListener('abort', () => {
              sawAbort = true;
              reject(new AppError('CANCELLED', 'stopped'));
            });
          }),
      }),
      () => {},
    );
    const pending = dispatcher.dispatch('models.list', {}, { requestId: 'job-1', transport: 'direct' });
    expect(dispatcher.cancel('job-1')).toBe(true);
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(sawAbort).toBe(true);
    expect(dispatcher.cancel('job-1')).toBe(false);
  });
});

describe('settings and the offline guarantee through the handler table', () => {
  it('starts offline, and a manifest download is blocked with a clear NETWORK_BLOCKED', async () => {
    expect((await api['app.info']({})).offline).toBe(true);
    const manifest = await api['models.manifest']({});
    expect(manifest.length).toBeGreaterThan(3);
    expect(manifest.every((m) => !m.installed)).toBe(true);
    await expect(api['models.download']({ modelId: manifest[0]!.entry.id })).rejects.toMatchObject({
      code: 'NETWORK_BLOCKED',
      details: { host: 'huggingface.co', reason: 'offline' },
    });
    await api['settings.update']({ offline: false });
    await expect(api['models.download']({ modelId: manifest[0]!.entry.id })).rejects.toMatchObject({
      code: 'NETWORK_BLOCKED',
      details: { reason: 'not-allowed' },
    });
    await api['settings.update']({ offline: true });
    await expect(api['models.download']({ modelId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('never returns a provider key to the caller', async () => {
    await api['settings.update']({
      providers: [{ id: 'cloud', name: 'Cloud', kind: 'openai-compatible', baseUrl: 'https://api.example.com/v1', model: 'gpt-4o-mini', enabled: false, hasKey: false }],
    });
    expect(await api['settings.setProviderKey']({ providerId: 'cloud', key: 'sk-live-abcdef' })).toEqual({ hasKey: true });
    const { settings } = await api['settings.get']({});
    expect(settings.providers[0]!.hasKey).toBe(true);
    expect(JSON.stringify(settings)).not.toContain('sk-live');
    await expect(api['settings.setProviderKey']({ providerId: 'ghost', key: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('extraction compile channel', () => {
  it('compiles a schema and reports hashes', async () => {
    const r = await api['extract.compile']({ target: { kind: 'json-schema', schema: { type: 'object', properties: { n: { type: 'integer', minimum: 1, maximum: 12 } }, required: ['n'] } } });
    expect(r.grammarHash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.grammarBytes).toBeGreaterThan(10);
    expect(r.postValidation).toEqual([]);
  });

  it('names the keyword and JSON pointer of what it cannot compile', async () => {
    await expect(
      api['extract.compile']({ target: { kind: 'json-schema', schema: { type: 'object', properties: { n: { type: 'integer', minimum: 9, maximum: 2 } }, required: ['n'] } } }),
    ).rejects.toMatchObject({ code: 'SCHEMA_UNSATISFIABLE', details: { pointer: '/properties/n' } });
    await expect(api['extract.compile']({ target: { kind: 'regex', pattern: '(?<=a)b' } })).rejects.toMatchObject({
      code: 'REGEX_UNSUPPORTED',
      details: { feature: 'lookbehind' },
    });
    await expect(api['extract.run']({ target: { kind: 'any-json' }, input: 'x' })).rejects.toMatchObject({ code: 'MODEL_NOT_LOADED' });
  });
});

describe('version', () => {
  it('matches package.json', async () => {
    const pkg = JSON.parse(await fs.readFile(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(HEARTH_VERSION).toBe(pkg.version);
  });
});
