import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EvalVariant } from '../../shared/schemas/eval.js';
import { runCli } from '../cli/runCli.js';
import { EvalStore } from '../services/eval/index.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-evalcli-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--data-dir', dir], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out, err };
}

describe('eval CLI (no model)', () => {
  it('export-finetune writes Alpaca and chat JSONL and reports skipped lines', async () => {
    const file = path.join(dir, 'qa.jsonl');
    await fs.writeFile(file, '{"id":"a","input":"2+2?","expected":"4"}\nbroken\n{"id":"b","input":"Capital of France?","expected":"Paris"}\n');
    const alpaca = await cli(['export-finetune', '--dataset', file, '--format', 'alpaca', '--instruction', 'Answer briefly.', '--json']);
    expect(alpaca.code).toBe(0);
    const a = JSON.parse(alpaca.out[0]!) as { cases: number; skippedLines: number[]; jsonl: string };
    expect(a.cases).toBe(2);
    expect(a.skippedLines).toEqual([2]);
    expect(JSON.parse(a.jsonl.split('\n')[0]!)).toMatchObject({ instruction: 'Answer briefly.', input: '2+2?', output: '4' });
    const out = path.join(dir, 'chat.jsonl');
    const chat = await cli(['export-finetune', '--dataset', file, '--format', 'chat', '--out', out]);
    expect(chat.code).toBe(0);
    const lines = (await fs.readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { messages: { role: string; content: string }[] });
    expect(lines[1]!.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(lines[1]!.messages[1]!.content).toBe('Paris');
    expect((await cli(['export-finetune', '--dataset', file, '--format', 'xml', '--json'])).code).toBe(1);
  });

  it('eval compare analyses two stored runs case by case', async () => {
    const store = await EvalStore.open({ dataDir: dir });
    const cases = Array.from({ length: 12 }, (_, i) => JSON.stringify({ id: `c${i}`, input: `q${i}`, expected: 'x' })).join('\n');
    store.importDataset('d', cases);
    const v = (name: string) => EvalVariant.parse({ name });
    const runA = store.createRun({ datasetName: 'd', datasetVersion: 1, variant: v('old'), repeats: 1, total: 12 });
    const runB = store.createRun({ datasetName: 'd', datasetVersion: 1, variant: v('new'), repeats: 1, total: 12 });
    const result = (caseId: string, pass: boolean) => ({ caseId, repeat: 0, input: caseId, expected: 'x', got: pass ? 'x' : 'y', pass, score: pass ? 1 : 0, metrics: [], latencyMs: 1, promptTokens: 1, completionTokens: 1, costMicros: null, error: null });
    for (let i = 0; i < 12; i++) {
      store.saveResult(runA, result(`c${i}`, i < 2));
      store.saveResult(runB, result(`c${i}`, i < 11));
    }
    store.dispose();
    const r = await cli(['eval', 'compare', runA, runB, '--json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.out[0]!) as { comparison: { pairedCases: number; explanation: string; analysis: { significant: boolean; primary: { test: string } } } };
    expect(c.comparison.pairedCases).toBe(12);
    expect(c.comparison.analysis).toMatchObject({ significant: true, primary: { test: 'mcnemar' } });
    expect(c.comparison.explanation).toMatch(/^new is better by 75 points \(95% CI/);
    const human = await cli(['eval', 'compare', runA, runB]);
    expect(human.out.join('\n')).toContain('on 12 shared cases');
    expect((await cli(['eval', 'compare', runA, 'nope', '--json'])).out[0]).toContain('NOT_FOUND');
  });

  it('eval run and ab say what is missing', async () => {
    const r = await cli(['eval', 'run', '--dataset', 'x.jsonl', '--json']);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(/Missing --model, --prompt/);
    expect((await cli(['ab', '--dataset', 'x.jsonl', '--model', 'm.gguf', '--a', 'A', '--json'])).out[0]).toMatch(/Missing --b/);
  });
});
