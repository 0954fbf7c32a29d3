import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../shared/index.js';
import type { EvalProgressEvent } from '../../shared/schemas/eval.js';
import { fixturePaths } from '../../models/fixtures/fixturePaths.js';
import { createApp, type HearthApp } from './createApp.js';
import { createDirectClient } from './createDirectClient.js';

let dir: string;
let app: HearthApp;
let api: ApiClient;
const events: EvalProgressEvent[] = [];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-evalm-'));
  app = await createApp({ dataDir: dir, cpuOnly: true, extraModelDirs: [path.dirname(fixturePaths.chatGguf)] });
  api = createDirectClient(app);
  api.on('eval.progress', (e) => events.push(e));
  await api['models.load']({ path: fixturePaths.chatGguf, contextSize: 512, threads: 2 });
}, 120_000);
afterAll(async () => {
  await app.dispose();
  await fs.rm(dir, { recursive: true, force: true });
});

/** Resolves with the final event of a run (bounded: fails after `ms`). */
async function finished(runId: string, ms = 90_000): Promise<EvalProgressEvent> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const last = events.filter((e) => e.runId === runId && e.status !== 'running').at(-1);
    if (last) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`run ${runId} did not finish in ${ms} ms`);
}

/** Every ledger row the app wrote, parsed from its NDJSON export. */
type Row = { endpoint: string; model: string; status: string; request_id: string; total_cost_micros: number };
function ledgerRows(): Row[] {
  let text = '';
  app.services.ledger.exportRequests({ format: 'ndjson', write: (c) => (text += c) });
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
}

const CASES = ['Say yes', 'Say no', 'Name a color', 'Count to three', 'Say hello'].map((q, i) => JSON.stringify({ id: `c${i}`, input: q, expected: 'yes' })).join('\n');

describe('eval runs on the qwen2 fixture through the instrumented pipeline', () => {
  it('runs in the background, streams progress, and every call lands in the ledger with endpoint "eval"', async () => {
    await api['eval.datasets.import']({ name: 'five', jsonl: CASES });
    const before = ledgerRows().length;
    const { runId } = await api['eval.runs.start']({ dataset: 'five', variant: { name: 'plain', maxTokens: 4, metrics: ['contains'] } });
    const last = await finished(runId);
    expect(last).toMatchObject({ runId, abId: null, status: 'completed', done: 5, total: 5 });
    const progress = events.filter((e) => e.runId === runId && e.status === 'running').map((e) => e.done);
    expect(progress).toEqual([0, 1, 2, 3, 4, 5]);
    const run = await api['eval.runs.get']({ runId });
    expect(run.variant.model).toBeTruthy();
    expect(run.summary).toMatchObject({ completed: 5, total: 5 });
    expect(run.summary.completionTokens).toBeGreaterThan(0);
    expect(run.summary.latencyMs.p50).toBeGreaterThan(0);
    const rows = ledgerRows().slice(before);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.endpoint === 'eval' && r.status === 'ok')).toBe(true);
    // the run's cost is the ledger's cost of those rows
    expect(run.summary.totalCostMicros).toBeGreaterThan(0);
    expect(run.summary.totalCostMicros).toBe(rows.reduce((s, r) => s + r.total_cost_micros, 0));
    expect((await api['eval.runs.list']({ dataset: 'five' })).map((r) => r.id)).toEqual([runId]);
  }, 120_000);

  it('cancels a running run and resumes it without redoing stored cases', async () => {
    const { runId } = await api['eval.runs.start']({ dataset: 'five', variant: { name: 'long', maxTokens: 12, temperature: 0, metrics: ['contains'] } });
    while (!events.some((e) => e.runId === runId && e.done >= 1)) await new Promise((r) => setTimeout(r, 20));
    expect(await api['eval.runs.cancel']({ runId })).toEqual({ cancelled: true });
    const stopped = await finished(runId);
    expect(stopped.status).toBe('cancelled');
    expect(stopped.done).toBeLessThan(5);
    const before = ledgerRows().filter((r) => r.endpoint === 'eval' && r.status === 'ok').length;
    events.length = 0;
    await api['eval.runs.resume']({ runId });
    const done = await finished(runId);
    expect(done).toMatchObject({ status: 'completed', done: 5 });
    const after = ledgerRows().filter((r) => r.endpoint === 'eval' && r.status === 'ok').length;
    expect(after - before).toBe(5 - stopped.done); // only the missing cases were generated
  }, 120_000);

  it('runs a seeded A/B test of two prompts and reports it in plain words', async () => {
    const { abId, runA, runB } = await api['eval.ab.start']({
      dataset: 'five',
      a: { name: 'terse', promptTemplate: '{{input}}', maxTokens: 3, metrics: ['token-f1'] },
      b: { name: 'answer-yes', promptTemplate: 'Answer with one word. {{input}}', maxTokens: 3, metrics: ['token-f1'] },
      seed: 3,
      scoreBy: 'score',
    });
    await finished(runA);
    await finished(runB);
    const report = await api['eval.ab.get']({ abId });
    expect(report).toMatchObject({ status: 'completed', casesDone: 5, casesTotal: 5, seed: 3, stopReason: 'all-cases' });
    expect(report.analysis).not.toBeNull();
    expect(report.explanation.length).toBeGreaterThan(20);
    expect(ledgerRows().filter((r) => r.endpoint === 'eval').length).toBeGreaterThanOrEqual(20);
    expect((await api['eval.ab.list']({})).map((r) => r.id)).toContain(abId);
  }, 120_000);
});
