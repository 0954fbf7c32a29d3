import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapCi, mcnemarTest, pairedTTest, welchTTest, wilcoxonSignedRank } from '../stats/index.js';
import { runEvalCommand } from './runEvalCommand.js';

const A = [0.71, 0.64, 0.8, 0.55, 0.62, 0.77, 0.69, 0.58, 0.73, 0.66];
const B = [0.6, 0.61, 0.7, 0.57, 0.5, 0.71, 0.6, 0.52, 0.7, 0.6];
let dir: string;
const file = (n: string) => path.join(dir, n);

async function run(argv: string[], json = false, generate?: Parameters<typeof runEvalCommand>[1]['generate']) {
  const lines: string[] = [];
  const code = await runEvalCommand(argv, { json, out: (s) => lines.push(s), ...(generate ? { generate } : {}) });
  return { code, lines };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hearth-evalcli-'));
  await writeFile(file('a.txt'), '# scores of prompt A\n' + A.join('\n') + '\n\n');
  await writeFile(file('b.txt'), B.join('\n'));
  await writeFile(file('pa.txt'), '1\n1\n0\n1\n1\n0\n1\n1\n');
  await writeFile(file('pb.txt'), '0\n1\n0\n0\n1\n0\n0\n1\n');
  await writeFile(file('bad.txt'), '0.5\nzero point six\n');
  await writeFile(file('const.txt'), '1\n1\n1\n');
  await writeFile(file('tests.yaml'), 'prompt: "Say {{word}}"\ntests:\n  - matrix: {word: [yes, no]}\n    assert: [{type: equals, value: yes}]\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runEvalCommand stats', () => {
  it('welch --json prints one JSON document with the test result', async () => {
    const { code, lines } = await run(['stats', 'welch', '--a', file('a.txt'), '--b', file('b.txt'), '--json']);
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]!);
    expect(out.ok).toBe(true);
    expect(out.data).toMatchObject({ test: 'welch', ...welchTTest(A, B), n: [10, 10] });
  });
  it('paired-t, wilcoxon, mcnemar in human form', async () => {
    const t = await run(['stats', 'paired-t', '--a', file('a.txt'), '--b', file('b.txt')]);
    expect(t.lines[0]).toBe(`Paired t-test (two-sided): t = ${pairedTTest(A, B).t.toFixed(4)}, df = 9, p = ${pairedTTest(A, B).p.toFixed(4)}`);
    const w = await run(['stats', 'wilcoxon', '--a', file('a.txt'), '--b', file('b.txt')], true);
    expect(JSON.parse(w.lines[0]!).data.p).toBe(wilcoxonSignedRank(A, B).p);
    const m = await run(['stats', 'mcnemar', '--a', file('pa.txt'), '--b', file('pb.txt'), '--json']);
    expect(JSON.parse(m.lines[0]!).data).toMatchObject({ method: 'exact', aOnly: 3, bOnly: 0, p: mcnemarTest([1, 1, 0, 1, 1, 0, 1, 1], [0, 1, 0, 0, 1, 0, 0, 1]).p });
  });
  it('bootstrap honours --seed and --unpaired', async () => {
    const r = await run(['stats', 'bootstrap', '--a', file('a.txt'), '--b', file('b.txt'), '--seed', '7', '--resamples', '500', '--unpaired', '--json']);
    expect(JSON.parse(r.lines[0]!).data).toMatchObject({ ...bootstrapCi({ a: A, b: B, paired: false, seed: 7, resamples: 500 }), paired: false });
  });
  it('bad input: line number in the message, exit 2; undefined statistic → STATISTICS_UNDEFINED', async () => {
    const bad = await run(['stats', 'welch', '--a', file('bad.txt'), '--b', file('b.txt')]);
    expect(bad.code).toBe(2);
    expect(bad.lines[0]).toMatch(/bad\.txt line 2: expected a number, got "zero point six"/);
    const und = await run(['stats', 'paired-t', '--a', file('const.txt'), '--b', file('const.txt'), '--json']);
    expect(und.code).toBe(2);
    expect(JSON.parse(und.lines[0]!).error).toMatchObject({ code: 'STATISTICS_UNDEFINED', details: { test: 'paired-t' } });
    expect((await run(['stats', 'anova', '--a', file('a.txt'), '--b', file('b.txt')])).code).toBe(2);
    expect((await run(['stats', 'welch', '--a', file('a.txt')])).code).toBe(2);
    expect((await run(['stats', 'welch', '--a', file('missing.txt'), '--b', file('b.txt')])).lines[0]).toMatch(/cannot read .*ENOENT/);
  });
});

describe('runEvalCommand stats ab', () => {
  it('prints the plain-language summary and each test (B vs A)', async () => {
    const r = await run(['stats', 'ab', '--a', file('b.txt'), '--b', file('a.txt'), '--seed', '1', '--resamples', '500']);
    expect(r.code).toBe(0);
    expect(r.lines[0]).toMatch(/^B has a higher mean score than A by 0\.064 \(95% CI .*10 paired cases\)/);
    expect(r.lines.slice(1).map((l) => l.trim().split(':')[0])).toEqual(['paired-t', 'wilcoxon']);
    const bin = await run(['stats', 'ab', '--a', file('pb.txt'), '--b', file('pa.txt'), '--binary', '--json']);
    expect(JSON.parse(bin.lines[0]!).data).toMatchObject({ kind: 'binary', primary: { test: 'mcnemar' } });
  });
});

describe('runEvalCommand test-prompts', () => {
  it('prints failures then "N passed, N failed" alone on the last line; exit 1 on failure', async () => {
    const echo = async (prompt: string) => ({ text: prompt.replace('Say ', ''), latencyMs: 1 });
    const r = await run(['test-prompts', file('tests.yaml')], false, echo);
    expect(r.code).toBe(1);
    expect(r.lines.at(-1)).toBe('1 passed, 1 failed');
    expect(r.lines[0]).toMatch(/^FAIL .*"no".*equals/);
    const ok = await run(['test-prompts', file('tests.yaml')], true, async () => ({ text: 'yes', latencyMs: 1 }));
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.lines[0]!).data).toMatchObject({ passed: 2, failed: 0 });
  });
  it('without a model it is a usage error', async () => {
    const r = await run(['test-prompts', file('tests.yaml')]);
    expect(r.code).toBe(2);
    expect(r.lines[0]).toMatch(/needs a local model/);
  });
});
