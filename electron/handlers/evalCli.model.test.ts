import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AbReport, EvalRunDetail } from '../../shared/schemas/eval.js';
import { fixturePaths } from '../../models/fixtures/fixturePaths.js';
import { runCli } from '../cli/runCli.js';

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-evalclim-'));
  file = path.join(dir, 'tiny-qa.jsonl');
  await fs.writeFile(file, ['Say yes', 'Say no', 'Say maybe'].map((q, i) => JSON.stringify({ id: `q${i}`, input: q, expected: 'yes' })).join('\n'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await runCli([...args, '--data-dir', dir, '--json'], { out: (t) => out.push(t), err: () => {} });
  return { code, out };
}

describe('eval CLI on the qwen2 fixture', () => {
  it('eval run stores a run in the data dir and prints its summary; ab runs a seeded paired test', async () => {
    const run = await cli(['eval', 'run', '--dataset', file, '--model', fixturePaths.chatGguf, '--prompt', 'Reply: {{input}}', '--max-tokens', '3', '--metric', 'contains']);
    expect(run.code).toBe(0);
    const r = (JSON.parse(run.out[0]!) as { run: EvalRunDetail }).run;
    expect(r).toMatchObject({ status: 'completed', datasetName: 'tiny-qa', summary: { completed: 3, total: 3 } });
    expect(r.summary.completionTokens).toBeGreaterThan(0);

    const ab = await cli(['ab', '--dataset', file, '--model', fixturePaths.chatGguf, '--a', '{{input}}', '--b', 'Answer: {{input}}', '--max-tokens', '3', '--seed', '5', '--metric', 'token-f1']);
    expect(ab.code).toBe(0);
    const report = (JSON.parse(ab.out[0]!) as { report: AbReport }).report;
    expect(report).toMatchObject({ status: 'completed', seed: 5, casesDone: 3, datasetName: 'tiny-qa', datasetVersion: 1 });
    expect(report.explanation).toContain('over 3 cases');

    // the two arms are stored runs that compare can read back
    const cmp = await cli(['eval', 'compare', report.runA, report.runB, '--score']);
    expect(cmp.code).toBe(0);
    expect(JSON.parse(cmp.out[0]!)).toMatchObject({ comparison: { pairedCases: 3 } });
  }, 240_000);
});
