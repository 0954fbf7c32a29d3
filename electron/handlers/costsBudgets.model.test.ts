import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../shared/index.js';
import { AppError } from '../../shared/errors.js';
import { fixturePaths } from '../../models/fixtures/fixturePaths.js';
import { FakeOpenAIServer, OpenAICompatibleProvider } from '../services/llm/index.js';
import { createApp, type HearthApp } from './createApp.js';
import { createDirectClient } from './createDirectClient.js';

let dir: string;
let app: HearthApp;
let api: ApiClient;
let fake: FakeOpenAIServer;
const savedEmbedder = process.env.HEARTH_EMBEDDER;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-costs-model-'));
  // the tiny fixture embedder keeps the chat.ask corpus fast to index (the product default is USE-Lite)
  process.env.HEARTH_EMBEDDER = `transformers:${fixturePaths.onnxEmbedderDir}`;
  app = await createApp({ dataDir: dir, cpuOnly: true, extraModelDirs: [path.dirname(fixturePaths.chatGguf)] });
  api = createDirectClient(app);
  await api['models.load']({ path: fixturePaths.chatGguf, contextSize: 512, threads: 2 });
  fake = await FakeOpenAIServer.start();
}, 120_000);
afterAll(async () => {
  await fake?.dispose();
  await app?.dispose();
  if (savedEmbedder === undefined) delete process.env.HEARTH_EMBEDDER;
  else process.env.HEARTH_EMBEDDER = savedEmbedder;
  await fs.rm(dir, { recursive: true, force: true });
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('costs through the real request path (fixture model)', () => {
  it('a repeated greedy request is served by the response cache and recorded as a cache hit', async () => {
    const input = { prompt: 'The cache test says', maxTokens: 8, temperature: 0 };
    const first = await api['llm.generate'](input);
    const streamed: string[] = [];
    const off = api.on('llm.token', (e) => streamed.push(e.text));
    const second = await api['llm.generate'](input);
    off();
    expect(second.text).toBe(first.text);
    expect(streamed.join('')).toBe(second.text); // the hit replays its text as token events (the model did not run: 2 rows below)
    const s = await api['costs.summary']({});
    expect(s.totals.requests).toBe(2);
    expect(s.totals.cacheHits).toBe(1);
    expect(app.services.costs.cache.stats()).toMatchObject({ entries: 1, exactHits: 1 });
    // a sampled request (temperature > 0, no seed) is never replayed from the cache
    await api['llm.generate']({ prompt: 'The cache test says', maxTokens: 4, temperature: 0.9 });
    await api['llm.generate']({ prompt: 'The cache test says', maxTokens: 4, temperature: 0.9 });
    expect((await api['costs.summary']({})).totals.cacheHits).toBe(1);
  });

  it('a used-up budget refuses llm.generate and extract.run with BUDGET_EXCEEDED before the model runs', async () => {
    await api['costs.budgets.set']({ scope: 'user', scopeId: 'local', period: 'day', limitUsd: '0' });
    const rowsBefore = app.services.ledger.count();
    let streamed = 0;
    const off = api.on('llm.token', () => streamed++);
    const e = await rejection(api['llm.generate']({ prompt: 'Blocked?', maxTokens: 8, temperature: 0.5 }));
    expect(e.code).toBe('BUDGET_EXCEEDED');
    expect(e.retryable).toBe(false);
    expect(e.details).toMatchObject({ scope: 'user', scopeId: 'local', period: 'day', limitUsd: '0.000000', limitMicros: 0 });
    expect(e.message).toMatch(/daily budget for user "local" \(\$0\.000000\) is used up/);
    // the cache is behind the budget gate too: the greedy request cached above is refused as well
    expect((await rejection(api['llm.generate']({ prompt: 'The cache test says', maxTokens: 8, temperature: 0 }))).code).toBe('BUDGET_EXCEEDED');
    const ex = await rejection(
      api['extract.run']({ target: { kind: 'json-schema', schema: { type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] } }, input: 'a is 4', maxTokens: 16, temperature: 0 }),
    );
    expect(ex.code).toBe('BUDGET_EXCEEDED');
    // grounded chat goes through the same pipeline: retrieval may run, the model may not
    const ingest = await api['documents.ingest']({ files: [{ name: 'note.txt', bytesBase64: Buffer.from('The boiler pressure must stay below 2 bar.').toString('base64') }], collection: 'work' });
    expect(ingest.files[0]).toMatchObject({ status: 'indexed' });
    const rowsBeforeChat = app.services.ledger.count();
    const chat = await rejection(api['chat.ask']({ question: 'What pressure must the boiler stay below?', settings: { mode: 'bm25', k: 1 }, maxAnswerChars: 40, temperature: 0.5 }));
    expect(chat.code).toBe('BUDGET_EXCEEDED');
    expect(app.services.ledger.count()).toBe(rowsBeforeChat);
    off();
    expect(streamed).toBe(0);
    expect(app.services.ledger.count()).toBe(rowsBefore); // no attempt was made, so none was recorded (ingest embeds locally, unrecorded)
    // removing the budget lets requests through again
    expect(await api['costs.budgets.remove']({ scope: 'user', scopeId: 'local', period: 'day' })).toEqual({ removed: true });
    const ok = await api['llm.generate']({ prompt: 'Free again', maxTokens: 4, temperature: 0.5 });
    expect(ok.completionTokens).toBeGreaterThan(0);
    expect(app.services.ledger.count()).toBe(rowsBefore + 1);
  });
});

describe('costs through the real request path (remote provider on the fake OpenAI server)', () => {
  it('pre-flight estimate blocks before any HTTP request; spend up to the limit then blocks every further call', async () => {
    const ledger = app.services.ledger;
    // 2.5 µ$ per prompt token, 10 µ$ per completion token
    await api['costs.prices.set']({ model: 'gpt-4o', provider: 'openai-compatible:fake', inputUsdPer1M: '2.5', outputUsdPer1M: '10' });
    await api['costs.budgets.set']({ scope: 'project', scopeId: 'acme', period: 'month', limitUsd: '0.01' }); // 10,000 µ$
    const remote = await OpenAICompatibleProvider.create({ name: 'fake', baseUrl: fake.baseUrl, model: 'gpt-4o', timeoutMs: 10_000 });
    const call = { userId: 'remote-user', projectId: 'acme', endpoint: 'chat', providers: [remote] };

    // worst case 2000 completion tokens = 20,000 µ$ > limit: refused, the server never sees it
    const big = await rejection(app.services.pipeline.generate({ prompt: 'Write a long essay', maxTokens: 2000, temperature: 0.7 }, call));
    expect(big.code).toBe('BUDGET_EXCEEDED');
    expect(big.details).toMatchObject({ scope: 'project', scopeId: 'acme', period: 'month', spentMicros: 0, limitMicros: 10_000 });
    expect(fake.requests).toHaveLength(0);

    // fits: the server answers, reporting 3,600 prompt + 100 completion tokens = 9,000 + 1,000 = 10,000 µ$
    fake.enqueue({ kind: 'stream', text: 'Short answer.', usage: { prompt_tokens: 3600, completion_tokens: 100 } });
    const r = await app.services.pipeline.generate({ prompt: 'Short question', maxTokens: 200, temperature: 0.7 }, call);
    expect(r.text).toBe('Short answer.');
    expect(r.costMicros).toBe(10_000);
    expect(fake.requests).toHaveLength(1);
    const budgets = (await api['costs.budgets.list']({})).budgets;
    expect(budgets.find((b) => b.scopeId === 'acme')).toMatchObject({ spentMicros: 10_000, usedPct: 100, exhausted: true });
    const alerts = (await api['costs.alerts.list']({})).alerts.filter((a) => a.scopeId === 'acme');
    expect(alerts.map((a) => a.thresholdPct).sort()).toEqual([100, 80]);

    // used up: even a 1-token request is refused, before the network
    const after = await rejection(app.services.pipeline.generate({ prompt: 'x', maxTokens: 1, temperature: 0 }, call));
    expect(after.code).toBe('BUDGET_EXCEEDED');
    expect(fake.requests).toHaveLength(1);
    // another project is not affected
    fake.enqueue({ kind: 'stream', text: 'ok', usage: { prompt_tokens: 1, completion_tokens: 1 } });
    await app.services.pipeline.generate({ prompt: 'x', maxTokens: 1, temperature: 0.7 }, { ...call, projectId: 'other' });
    expect(fake.requests).toHaveLength(2);
    expect(ledger.count()).toBeGreaterThan(0);
    await api['costs.budgets.remove']({ scope: 'project', scopeId: 'acme', period: 'month' });
  });
});
