import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { LocalLlamaProvider } from '../llm/index.js';
import { extract } from './extract.js';
import { runExtractionSoak } from './runExtractionSoak.js';
import { runToolCalls } from './runToolCalls.js';
import { soakCases } from './soakCases.js';

const STORIES = path.resolve(__dirname, '../../../../shared/data/models/stories260K.gguf');
let stories: LocalLlamaProvider;
let qwen: LocalLlamaProvider;

beforeAll(async () => {
  stories = await LocalLlamaProvider.create({ modelPath: STORIES, threads: 2, cpuOnly: true, contextSize: 512 });
  qwen = await LocalLlamaProvider.create({ modelPath: fixturePaths.chatGguf, threads: 2, cpuOnly: true, contextSize: 1024 });
});
afterAll(async () => {
  await stories.dispose();
  await qwen.dispose();
});

describe('grammar-constrained extraction on local models', () => {
  it('never produces output that fails the validator, across every schema feature (real trained weights)', async () => {
    // CI size; `npm run soak:extract -- --runs N` runs the same check at scale
    const report = await runExtractionSoak({ provider: stories, runsPerCase: 1, seed: 11, maxTokens: 96, providerFor: async () => qwen });
    expect(report.failures).toEqual([]);
    expect(report.invalid).toBe(0);
    // every case compiles and runs
    expect(report.runs).toBe(soakCases.length);
    // runs that hit the token budget inside an unbounded value are not grammar errors, but most must complete
    expect(report.valid).toBeGreaterThanOrEqual(report.runs / 3);
  });

  it('extracts through the qwen2 fixture (152k vocabulary, chat template) with the grammar hash reported', async () => {
    const r = await extract<{ total: number; currency: string }>({
      target: {
        kind: 'json-schema',
        schema: { type: 'object', properties: { total: { type: 'integer', minimum: 0, maximum: 9999 }, currency: { enum: ['EUR', 'USD'] } }, required: ['total', 'currency'], additionalProperties: false },
      },
      input: 'Invoice total: 120 EUR',
      provider: qwen,
      temperature: 0.7,
      seed: 4,
      maxTokens: 48,
    });
    expect(r.enforcement).toBe('grammar');
    expect(r.grammarHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Number.isInteger(r.value.total) && r.value.total >= 0 && r.value.total <= 9999).toBe(true);
    expect(['EUR', 'USD']).toContain(r.value.currency);
    expect(r.attempts).toBe(1);
  });

  it('the soak on the 152k-vocabulary qwen2 fixture (fast-forward path): zero invalid outputs', async () => {
    const report = await runExtractionSoak({ provider: qwen, runsPerCase: 1, seed: 5, maxTokens: 64, providerFor: async () => qwen });
    expect(report.runs).toBe(soakCases.length);
    expect(report.failures).toEqual([]);
    expect(report.invalid).toBe(0);
    expect(qwen.grammarStats.forcedTokens).toBeGreaterThan(0);
  });

  it('a capped tool-calling loop on a real grammar always ends with a schema-valid answer', async () => {
    const calls: unknown[] = [];
    const r = await runToolCalls({
      provider: qwen,
      task: 'What is 2 + 3?',
      tools: [{ name: 'add', parameters: { type: 'object', properties: { a: { type: 'integer', minimum: 0, maximum: 9 }, b: { type: 'integer', minimum: 0, maximum: 9 } }, required: ['a', 'b'], additionalProperties: false }, run: (args) => (calls.push(args), 5) }],
      answerSchema: { type: 'object', properties: { answer: { type: 'integer', minimum: 0, maximum: 99 } }, required: ['answer'], additionalProperties: false },
      maxRounds: 1,
      temperature: 1,
      seed: 2,
      maxTokens: 64,
    });
    expect(['answer', 'forced-answer']).toContain(r.stopReason);
    expect(r.generations).toBeLessThanOrEqual(2);
    expect(r.calls.length).toBe(calls.length);
    const answer = (r.answer as { answer: number }).answer;
    expect(Number.isInteger(answer) && answer >= 0 && answer <= 99).toBe(true);
  });

  it('regex-constrained output always fully matches', async () => {
    for (let seed = 0; seed < 5; seed += 1) {
      const r = await extract({ target: { kind: 'regex', pattern: '[A-Z]{2}\\d{4}' }, input: 'code?', provider: qwen, temperature: 1, seed, maxTokens: 16 });
      expect(r.value).toMatch(/^[A-Z]{2}\d{4}$/);
    }
  });
});
