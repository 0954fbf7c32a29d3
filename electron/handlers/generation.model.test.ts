import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, TokenEvent } from '../../shared/index.js';
import { fixturePaths } from '../../models/fixtures/fixturePaths.js';
import { createApp, type HearthApp } from './createApp.js';
import { createDirectClient } from './createDirectClient.js';

let dir: string;
let app: HearthApp;
let api: ApiClient;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-gen-'));
  app = await createApp({ dataDir: dir, cpuOnly: true, extraModelDirs: [path.dirname(fixturePaths.chatGguf)] });
  api = createDirectClient(app);
});
afterAll(async () => {
  await app.dispose();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('generation through the handler table, on the fixture chat model', () => {
  it('lists, loads and reports the fixture model', async () => {
    const models = await api['models.list']({});
    const chat = models.find((m) => m.path === fixturePaths.chatGguf);
    expect(chat).toMatchObject({ kind: 'gguf', source: 'fixture', summary: { architecture: 'qwen2' } });
    expect(chat!.summary!.chatTemplate).toContain('<|im_start|>');
    const corrupt = models.find((m) => m.path === fixturePaths.corruptGguf);
    expect(corrupt?.summary).toBeNull(); // listed, but unreadable
    const loaded = await api['models.load']({ path: fixturePaths.chatGguf, contextSize: 512, threads: 2 });
    expect(loaded).toMatchObject({ contextSize: 512, threads: 2, gpu: 'cpu', summary: { architecture: 'qwen2', vocabularySize: 151936 } });
    expect((await api['models.status']({})).loaded?.path).toBe(fixturePaths.chatGguf);
  });

  it('streams token events keyed by the request id, through the chat template', async () => {
    const requestId = api.newRequestId();
    const events: TokenEvent[] = [];
    const off = api.on('llm.token', (e) => events.push(e));
    const result = await api['llm.generate'](
      { messages: [{ role: 'user', content: 'Hello there' }], maxTokens: 12, temperature: 0.8, seed: 1 },
      { requestId },
    );
    off();
    expect(result.completionTokens).toBeGreaterThan(0);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.requestId === requestId)).toBe(true);
    expect(events.map((e) => e.text).join('')).toBe(result.text);
    expect(result.promptTokens).toBeGreaterThan(5); // the ChatML wrapping adds tokens around the message
    // the call went through the instrumented path and landed in the ledger, with the local energy cost
    expect(app.services.ledger.count()).toBeGreaterThanOrEqual(1);
  });

  it('cancels a running generation through app.cancel', async () => {
    const controller = new AbortController();
    const off = api.on('llm.token', () => controller.abort());
    const pending = api['llm.generate']({ prompt: 'Count:', maxTokens: 400, temperature: 1, seed: 2 }, { signal: controller.signal });
    const result = await pending.catch((e: unknown) => e);
    off();
    // either the generation stopped early with finishReason 'cancelled', or the call was rejected as CANCELLED
    if (result instanceof Error) expect(result).toMatchObject({ code: 'CANCELLED' });
    else expect(result).toMatchObject({ finishReason: 'cancelled' });
  });

  it('refuses to load the corrupt fixture and keeps the loaded model', async () => {
    await expect(api['models.load']({ path: fixturePaths.corruptGguf })).rejects.toMatchObject({ code: 'MODEL_CORRUPT' });
    expect((await api['models.status']({})).loaded?.path).toBe(fixturePaths.chatGguf);
    expect(await api['models.unload']({})).toEqual({ unloaded: true });
    expect(await api['models.unload']({})).toEqual({ unloaded: false });
    await expect(api['llm.generate']({ prompt: 'x' })).rejects.toMatchObject({ code: 'MODEL_NOT_LOADED' });
  });
});
