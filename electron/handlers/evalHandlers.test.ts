import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../shared/index.js';
import { createApp, type HearthApp } from './createApp.js';
import { createDirectClient } from './createDirectClient.js';

let dir: string;
let app: HearthApp;
let api: ApiClient;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-evalh-'));
  app = await createApp({ dataDir: dir, cpuOnly: true });
  api = createDirectClient(app);
});
afterAll(async () => {
  await app.dispose();
  await app.dispose();
  await fs.rm(dir, { recursive: true, force: true });
});

const JSONL = ['{"id":"q1","input":"Capital of France?","expected":"Paris"}', '{"id":"q2",', '{"id":"q3","input":"2+2?","expected":"4"}', '{"input":"no id","expected":"x"}'].join('\n');

describe('eval channels (no model needed)', () => {
  it('imports a dataset, reporting malformed lines by number, then lists and pages it', async () => {
    const imported = await api['eval.datasets.import']({ name: 'geo', jsonl: JSONL });
    expect(imported.created).toBe(true);
    expect(imported.dataset).toMatchObject({ name: 'geo', version: 1, caseCount: 3, kind: 'qa' });
    expect(imported.errors).toEqual([{ line: 2, message: expect.stringMatching(/invalid JSON/) }]);
    expect(await api['eval.datasets.list']({})).toEqual([imported.dataset]);
    const page = await api['eval.datasets.get']({ name: 'geo', offset: 1, limit: 5 });
    expect(page.cases.map((c) => c.id)).toEqual(['q3', 'line-4']);
    expect(page.versions).toHaveLength(1);
    // the store lives at <dataDir>/eval.sqlite
    await expect(fs.stat(path.join(dir, 'eval.sqlite'))).resolves.toBeTruthy();
  });

  it('answers typed errors: unusable dataset, unknown ids, no model loaded, bad names', async () => {
    await expect(api['eval.datasets.import']({ name: 'bad', jsonl: 'nope' })).rejects.toMatchObject({ code: 'DATASET_INVALID' });
    await expect(api['eval.datasets.get']({ name: 'missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api['eval.runs.get']({ runId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api['eval.ab.get']({ abId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api['eval.runs.start']({ dataset: 'geo', variant: { name: 'v' } })).rejects.toMatchObject({ code: 'MODEL_NOT_LOADED' });
    await expect(api['eval.datasets.import']({ name: '../x', jsonl: JSONL })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await api['eval.runs.cancel']({ runId: 'nope' })).toEqual({ cancelled: false });
    expect(await api['eval.runs.list']({})).toEqual([]); // the refused start left no run behind
  });
});
