import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { createApp, type HearthApp } from '../../handlers/createApp.js';
import type { LedgerRow } from '../../services/ledger/index.js';
import { calculatorTool, dateTool, documentSearchTool, LlmJudge, ReActAgent, selfConsistency, type GenerateFn } from '../../services/prompting/index.js';
import { runCli } from '../runCli.js';

/**
 * Each technique end-to-end on the tiny qwen2 fixture through the app's real provider path: createApp →
 * models.load → RequestPipeline.generate (the one instrumented path) → one ledger row per call. The fixture
 * has random weights, so these assert structure and validity (grammar, limits, ledger), never content.
 */
let dir: string;
let app: HearthApp;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The pipeline as a GenerateFn, remembering the request ids it produced (to find their ledger rows). */
function pipelineGenerate(endpoint: string): GenerateFn & { requestIds: string[] } {
  const requestIds: string[] = [];
  const fn: GenerateFn = async (request) => {
    const r = await app.services.pipeline.generate(request, { userId: 'local', endpoint, providers: [app.services.models.requireProvider()] });
    requestIds.push(r.requestId);
    if (process.env.S5_DEBUG) console.log(endpoint, request.grammar ? 'G' : '-', r.promptTokens, r.completionTokens, Math.round(r.durationMs), 'ms');
    return r;
  };
  return Object.assign(fn, { requestIds });
}
function rowsOf(ids: readonly string[]): LedgerRow[] {
  app.services.ledger.flush();
  return ids.map((id) => {
    const row = app.services.ledger.getRequest(id);
    expect(row, `ledger row ${id}`).toBeDefined();
    return row!;
  });
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-prompting-'));
  app = await createApp({ dataDir: dir, cpuOnly: true, extraModelDirs: [path.dirname(fixturePaths.chatGguf)] });
  await app.services.models.load({ path: fixturePaths.chatGguf, contextSize: 1024, threads: 2 });
});
afterAll(async () => {
  await app?.dispose();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('prompting techniques on the fixture model, through the pipeline and the ledger', () => {
  it('self-consistency: n samples, regex-constrained answers, a vote, and 2n ledger rows', async () => {
    const generate = pipelineGenerate('prompting.self-consistency');
    const r = await selfConsistency({ prompt: 'What is 3 + 4?', n: 3, temperature: 0.9, seed: 11, answer: { regex: '[0-9]{1,2}' }, generate, maxTokens: 12, answerMaxTokens: 4 });
    expect(r.samples).toHaveLength(3);
    for (const s of r.samples) if (!s.truncated) expect(s.answerText).toMatch(/^[0-9]{1,2}$/);
    expect(Object.values(r.counts).reduce((a, b) => a + b, 0)).toBe(r.samples.filter((s) => !s.truncated).length);
    expect(r.counts[r.key]).toBe(Math.round(r.agreement * 3));
    expect(r.answer).toMatch(/^[0-9]{1,2}$/);
    const rows = rowsOf(generate.requestIds);
    expect(rows).toHaveLength(6);
    expect(rows.every((x) => x.endpoint === 'prompting.self-consistency' && x.status === 'ok' && x.isLocal)).toBe(true);
    const grammarRows = rows.filter((x) => x.grammarHash !== null);
    expect(grammarRows).toHaveLength(3);
    expect(new Set(grammarRows.map((x) => x.grammarHash)).size).toBe(1);
    expect(rows.reduce((s, x) => s + x.completionTokens, 0)).toBe(r.usage.completionTokens);
  });

  it('self-consistency with a JSON Schema answer: every complete answer is schema-valid JSON, voted on canonical form', async () => {
    const generate = pipelineGenerate('prompting.self-consistency');
    const schema = { type: 'object', properties: { value: { type: 'integer', minimum: 0, maximum: 20 } }, required: ['value'], additionalProperties: false };
    const r = await selfConsistency({ prompt: 'What is 3 + 4?', n: 2, temperature: 1, seed: 5, answer: { schema }, generate, maxTokens: 8, answerMaxTokens: 12, format: 'raw' });
    for (const s of r.samples.filter((x) => !x.truncated)) {
      const v = (s.answer as { value: number }).value;
      expect(Object.keys(s.answer as object)).toEqual(['value']);
      expect(Number.isInteger(v) && v >= 0 && v <= 20).toBe(true);
      expect(s.key).toBe(JSON.stringify({ value: v }));
    }
    expect(rowsOf(generate.requestIds)).toHaveLength(4);
  });

  it('ReAct: grammar-constrained actions over registered tools, bounded by the step and token limits', async () => {
    const generate = pipelineGenerate('prompting.react');
    const search = documentSearchTool(async (q) => [{ text: `Passage about ${q}`, source: 'notes.md' }]);
    const agent = new ReActAgent({ generate, tools: [search, calculatorTool(), dateTool()], maxSteps: 2, maxInputChars: 12, thoughtMaxTokens: 8 });
    const steps: unknown[] = [];
    const r = await agent.run('How many days until the end of the year?', { onStep: (s) => steps.push(s) });
    expect(['finish', 'step-limit']).toContain(r.stopReason);
    expect(steps).toEqual(r.steps);
    for (const s of r.steps) {
      expect(['search', 'calculator', 'date', 'finish']).toContain(s.action!.tool);
      expect(s.action!.input.length).toBeLessThanOrEqual(12);
      if (s.action!.tool !== 'finish') expect(typeof s.observation).toBe('string');
    }
    if (r.stopReason === 'finish') expect(r.answer).toBe(r.steps.at(-1)!.action!.input);
    const rows = rowsOf(generate.requestIds);
    expect(rows).toHaveLength(r.usage.calls);
    expect(rows.every((x) => x.endpoint === 'prompting.react' && x.status === 'ok')).toBe(true);
    // every second call is an action, generated under the agent's grammar
    expect(rows.filter((x) => x.grammarHash === sha256(agent.actionGrammar))).toHaveLength(r.steps.filter((s) => s.action !== null).length);

    const capped = pipelineGenerate('prompting.react');
    const t = await new ReActAgent({ generate: capped, tools: [calculatorTool()], maxTotalTokens: 50, thoughtMaxTokens: 8, maxInputChars: 8 }).run('2+2?');
    expect(t.stopReason).toBe('token-limit');
    expect(capped.requestIds).toHaveLength(1); // the header alone is > 50 prompt tokens: stopped after one call
    expect(t.steps[0]!.action).toBeNull();
  });

  it('LlmJudge: 1..5 integer verdicts with bounded reasons, validated, one ledger row per criterion', async () => {
    const generate = pipelineGenerate('prompting.judge');
    const judge = new LlmJudge({ generate, maxReasonChars: 24 });
    const r = await judge.evaluate({ question: 'When did the office open?', answer: 'In 2019.', contexts: ['The office opened in 2019 in Leeds.'] });
    for (const c of ['faithfulness', 'relevance'] as const) {
      const s = r.scores[c]!;
      expect(Number.isInteger(s.score) && s.score >= 1 && s.score <= 5).toBe(true);
      expect([...s.reasons].length).toBeLessThanOrEqual(24); // maxLength counts code points (an emoji is 2 UTF-16 units)
      expect(s.normalized).toBe((s.score - 1) / 4);
    }
    const rows = rowsOf(generate.requestIds);
    expect(rows.map((x) => x.endpoint)).toEqual(['prompting.judge', 'prompting.judge']);
    expect(rows.every((x) => x.grammarHash === sha256(judge.verdictGrammar))).toBe(true);
  });

  it('CLI: prompting judge --json runs through the app on its data dir and prints the verdicts', async () => {
    const cliDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-prompting-cli-'));
    try {
      const out: string[] = [];
      const code = await runCli(
        ['prompting', 'judge', '--model', fixturePaths.chatGguf, '--question', 'q?', '--answer', 'a.', '--criteria', 'relevance', '--max-reason-chars', '16', '--context-size', '512', '--data-dir', cliDir, '--json'],
        { out: (t) => out.push(t), err: () => {} },
      );
      expect(code).toBe(0);
      const result = JSON.parse(out.join('\n')) as { scores: { relevance: { score: number; reasons: string } } };
      expect(result.scores.relevance.score).toBeGreaterThanOrEqual(1);
      expect(result.scores.relevance.score).toBeLessThanOrEqual(5);
      expect([...result.scores.relevance.reasons].length).toBeLessThanOrEqual(16);
      const bad: string[] = [];
      expect(await runCli(['prompting', 'judge', '--question', 'q', '--answer', 'a', '--data-dir', cliDir, '--json'], { out: (t) => bad.push(t), err: () => {} })).toBe(1);
      expect(JSON.parse(bad[0]!)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    } finally {
      await fs.rm(cliDir, { recursive: true, force: true });
    }
  });
});
