import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetInvalidError } from '../datasets/index.js';
import { EvalNotFoundError } from './EvalNotFoundError.js';
import { EvalStore } from './EvalStore.js';
import { LATEST_EVAL_STORE_VERSION } from './migrateEvalStore.js';
import { quantile, summarizeResults } from './summarizeResults.js';

let dir: string;
let store: EvalStore;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hearth-evalstore-'));
  store = await EvalStore.open({ dataDir: dir });
});
afterEach(async () => {
  store.dispose();
  store.dispose(); // idempotent
  await rm(dir, { recursive: true, force: true });
});

const JSONL = ['{"id":"a","input":"2+2?","expected":"4"}', '{"id":"b", oops}', '', '{"id":"c","input":"3+3?","expected":"6"}', '{"id":"a","input":"dup"}', 'not json'].join('\n');

describe('EvalStore datasets', () => {
  it('imports JSONL, reports malformed lines by line number and keeps the rest', () => {
    const { dataset, errors, created } = store.importDataset('math', JSONL);
    expect(created).toBe(true);
    expect(dataset).toMatchObject({ name: 'math', version: 1, caseCount: 2, kind: 'qa' });
    expect(errors.map((e) => e.line)).toEqual([2, 5, 6]);
    expect(errors[1]!.message).toMatch(/duplicate id "a"/);
    expect(store.getDataset('math').cases.map((c) => c.id)).toEqual(['a', 'c']);
  });

  it('versions by content: same content is a no-op, new content is the next version', () => {
    const v1 = store.importDataset('math', JSONL).dataset;
    const again = store.importDataset('math', JSONL);
    expect(again.created).toBe(false);
    expect(again.dataset).toEqual(v1);
    const v2 = store.importDataset('math', JSONL + '\n{"id":"d","input":"1+1?","expected":"2"}').dataset;
    expect(v2.version).toBe(2);
    expect(v2.hash).not.toBe(v1.hash);
    expect(store.getDataset('math', 1).cases).toHaveLength(2);
    expect(store.getDataset('math').cases).toHaveLength(3);
    expect(store.listDatasets().map((d) => [d.name, d.version])).toEqual([['math', 2]]);
    expect(store.datasetVersions('math').map((d) => d.version)).toEqual([1, 2]);
  });

  it('throws typed errors for unusable input and unknown datasets', () => {
    expect(() => store.importDataset('bad', 'nope\n{"x":1}')).toThrow(DatasetInvalidError);
    expect(() => store.getDataset('missing')).toThrow(EvalNotFoundError);
    expect(() => store.getRun('nope')).toThrow(EvalNotFoundError);
  });
});

describe('EvalStore runs', () => {
  it('migrates once and marks runs left running as interrupted on reopen', async () => {
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_EVAL_STORE_VERSION);
    store.importDataset('math', JSONL);
    const id = store.createRun({ datasetName: 'math', datasetVersion: 1, variant: { name: 'v', promptTemplate: '{{input}}', format: 'chat', temperature: 0, maxTokens: 8, metrics: ['exact-match'] }, repeats: 1, total: 2 });
    expect(store.getRun(id).status).toBe('running');
    store.dispose();
    store = await EvalStore.open({ dataDir: dir });
    expect(store.getRun(id).status).toBe('interrupted');
  });

  it('stores a result once per (run, case, repeat)', () => {
    store.importDataset('math', JSONL);
    const id = store.createRun({ datasetName: 'math', datasetVersion: 1, variant: { name: 'v', promptTemplate: '{{input}}', format: 'chat', temperature: 0, maxTokens: 8, metrics: ['exact-match'] }, repeats: 1, total: 2 });
    const r = { caseId: 'a', repeat: 0, input: '2+2?', expected: '4', got: '4', pass: true, score: 1, metrics: [], latencyMs: 5, promptTokens: 3, completionTokens: 1, costMicros: 7, error: null };
    expect(store.saveResult(id, r)).toBe(true);
    expect(store.saveResult(id, { ...r, got: 'changed' })).toBe(false);
    expect(store.results(id)).toEqual([r]);
    expect(store.getRun(id).summary).toMatchObject({ completed: 1, total: 2, passed: 1, accuracy: 1, totalCostMicros: 7, costPerCorrectMicros: 7 });
  });
});

describe('summarizeResults', () => {
  it('computes accuracy, latency percentiles and cost per correct answer', () => {
    const row = (pass: boolean, latencyMs: number, costMicros: number | null) => ({ pass, score: pass ? 1 : 0, latencyMs, promptTokens: 1, completionTokens: 2, costMicros, errored: false });
    const s = summarizeResults([row(true, 10, 4), row(false, 20, 4), row(true, 30, null), row(false, 40, 4)], 5);
    expect(s).toMatchObject({ completed: 4, total: 5, passed: 2, accuracy: 0.5, totalCostMicros: 12, costPerCaseMicros: 3, costPerCorrectMicros: 6, promptTokens: 4, completionTokens: 8 });
    expect(s.latencyMs).toEqual({ mean: 25, p50: 25, p95: 38.5 });
    expect(summarizeResults([], 0).costPerCorrectMicros).toBeNull();
    expect(quantile([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8);
  });
});
