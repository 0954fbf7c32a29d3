import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors.js';
import { EvalVariant } from '../../../../shared/schemas/eval.js';
import { EvalStore } from '../store/index.js';
import { EvalCancelledError } from './EvalCancelledError.js';
import { EvalRunner, type EvalProgress } from './EvalRunner.js';
import { fakeEvalModel } from './fakeEvalModel.testkit.js';

let dir: string;
let store: EvalStore;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hearth-evalrun-'));
  store = await EvalStore.open({ dataDir: dir });
});
afterEach(async () => {
  store.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** Six sums; the fake answers the first four right and the last two wrong. */
const SUMS = Array.from({ length: 6 }, (_, i) => JSON.stringify({ id: `s${i}`, input: { a: i, b: i + 1 }, expected: String(2 * i + 1) })).join('\n');
const sumAnswer = (prompt: string) => {
  const m = /(\d+) plus (\d+)/.exec(prompt);
  if (!m) return '?';
  const a = Number(m[1]);
  return a >= 4 ? 'I do not know' : `${a + Number(m[2])}.`;
};
const variant = EvalVariant.parse({ name: 'sum', promptTemplate: 'What is {{a}} plus {{b}}?', metrics: ['normalized-match'] });

describe('EvalRunner', () => {
  it('runs every case through the model, stores results and summarises accuracy, latency and cost', async () => {
    store.importDataset('sums', SUMS);
    const model = fakeEvalModel(sumAnswer, { costPerCall: 25 });
    const runner = new EvalRunner(store, model);
    const runId = runner.createRun({ dataset: 'sums', variant });
    const progress: EvalProgress[] = [];
    const run = await runner.run(runId, { onProgress: (p) => progress.push(p) });
    expect(model.calls).toEqual(Array.from({ length: 6 }, (_, i) => `What is ${i} plus ${i + 1}?`));
    expect(run.status).toBe('completed');
    expect(run.variant.model).toBe('fake-model');
    expect(run.summary).toMatchObject({ completed: 6, total: 6, passed: 4, errors: 0, totalCostMicros: 150, costPerCaseMicros: 25, costPerCorrectMicros: 37.5 });
    expect(run.summary.accuracy).toBeCloseTo(4 / 6);
    expect(run.summary.latencyMs.p95).toBeGreaterThanOrEqual(run.summary.latencyMs.p50);
    expect(run.summary.latencyMs.p50).toBeGreaterThan(0);
    expect(progress.map((p) => p.done)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(progress.at(-1)).toEqual({ runId, done: 6, total: 6, passed: 4 });
    const detail = store.getRunDetail(runId);
    expect(detail.failures.map((f) => [f.caseId, f.got, f.expected])).toEqual([
      ['s4', 'I do not know', '9'],
      ['s5', 'I do not know', '11'],
    ]);
    expect(detail.failures[0]!.input).toEqual({ a: 4, b: 5 });
  });

  it('cancels between cases, keeps what finished, and resumes without redoing it', async () => {
    store.importDataset('sums', SUMS);
    const controller = new AbortController();
    const model = fakeEvalModel(sumAnswer, { onCall: (n) => n === 3 && controller.abort() });
    const runner = new EvalRunner(store, model);
    const runId = runner.createRun({ dataset: 'sums', variant });
    const err = await runner.run(runId, { signal: controller.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EvalCancelledError);
    expect((err as EvalCancelledError).code).toBe('CANCELLED');
    // the case in flight when the signal fired is not stored (its answer may be cut short)
    expect(store.results(runId).map((r) => r.caseId)).toEqual(['s0', 's1']);
    expect(store.getRun(runId)).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });

    const resumed = fakeEvalModel(sumAnswer);
    const progress: EvalProgress[] = [];
    const run = await new EvalRunner(store, resumed).run(runId, { onProgress: (p) => progress.push(p) });
    expect(resumed.calls).toEqual(['What is 2 plus 3?', 'What is 3 plus 4?', 'What is 4 plus 5?', 'What is 5 plus 6?']);
    expect(progress[0]).toMatchObject({ done: 2, passed: 2 });
    expect(run).toMatchObject({ status: 'completed', summary: { completed: 6, passed: 4 } });
    expect(store.results(runId).map((r) => r.caseId)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5']);
    // re-running a completed run is a no-op
    const again = fakeEvalModel(sumAnswer);
    await new EvalRunner(store, again).run(runId);
    expect(again.calls).toEqual([]);
  });

  it('records a failing case with its error and goes on; a budget stop fails the run', async () => {
    store.importDataset('sums', SUMS);
    const flaky = fakeEvalModel((p) => (p.includes('1 plus') ? new AppError('PROVIDER_ERROR', 'HTTP 500') : sumAnswer(p)));
    const runner = new EvalRunner(store, flaky);
    const run = await runner.run(runner.createRun({ dataset: 'sums', variant }));
    expect(run.summary).toMatchObject({ completed: 6, passed: 3, errors: 1 });
    const failed = store.getRunDetail(run.id).failures.find((f) => f.caseId === 's1')!;
    expect(failed).toMatchObject({ got: '', pass: false, error: { code: 'PROVIDER_ERROR', message: 'HTTP 500' } });

    const broke = fakeEvalModel((p) => (p.includes('2 plus') ? new AppError('BUDGET_EXCEEDED', 'over budget') : sumAnswer(p)));
    const r2 = new EvalRunner(store, broke);
    const id2 = r2.createRun({ dataset: 'sums', variant });
    await expect(r2.run(id2)).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
    expect(store.getRun(id2)).toMatchObject({ status: 'failed', error: { code: 'BUDGET_EXCEEDED' }, summary: { completed: 2 } });
    expect(broke.calls).toHaveLength(3);
  });

  it('a template variable the case lacks is a per-case error, not a broken prompt', async () => {
    store.importDataset('sums', SUMS);
    const model = fakeEvalModel(sumAnswer);
    const runner = new EvalRunner(store, model);
    const bad = EvalVariant.parse({ name: 'bad', promptTemplate: 'What is {{a}} plus {{c}}?' });
    const run = await runner.run(runner.createRun({ dataset: 'sums', variant: bad }));
    expect(model.calls).toEqual([]);
    expect(run.summary).toMatchObject({ completed: 6, passed: 0, errors: 6 });
    expect(store.results(run.id)[0]!.error).toMatchObject({ code: 'TEMPLATE_VARIABLE_MISSING' });
  });

  it('extraction variants go through extract() and score schema validity and field-level F1', async () => {
    const people = [
      '{"id":"p1","input":"Ada Lovelace, 36, mathematician","expected":{"name":"Ada Lovelace","age":36}}',
      '{"id":"p2","input":"Alan Turing, 41","expected":{"name":"Alan Turing","age":41}}',
    ].join('\n');
    store.importDataset('people', people, 'extraction');
    const model = fakeEvalModel((_p, _s, request) => {
      expect(request.grammar).toContain('root'); // a local model gets the compiled grammar
      const doc = request.messages!.map((m) => m.content).join('\n');
      return doc.includes('Ada') ? '{"name":"Ada Lovelace","age":36}' : '{"name":"Alan Turing","age":14}';
    });
    const runner = new EvalRunner(store, model);
    const schema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name', 'age'], additionalProperties: false };
    const v = EvalVariant.parse({ name: 'person', promptTemplate: 'Extract the name and age.', jsonSchema: schema, metrics: ['schema-valid', 'field-f1'], maxTokens: 64 });
    const run = await runner.run(runner.createRun({ dataset: 'people', variant: v }));
    expect(run.summary).toMatchObject({ completed: 2, passed: 1 });
    const [p1, p2] = store.results(run.id);
    expect(p1!.metrics.map((m) => [m.metric, m.pass, m.score])).toEqual([['schema-valid', true, 1], ['field-f1', true, 1]]);
    expect(p2!.metrics[0]!.pass).toBe(true);
    expect(p2!.metrics[1]!.score).toBeCloseTo(0.5);
    expect(p2!.score).toBeCloseTo(0.75);
    expect(JSON.parse(p2!.got)).toEqual({ name: 'Alan Turing', age: 14 });
  });
});
