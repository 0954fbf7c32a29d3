import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { HashingEmbedder, ResponseCache } from '../cache/index.js';
import { FakeOpenAIServer, ModelNotLoadedError, OpenAICompatibleProvider, type LlmProvider } from '../llm/index.js';
import type { Pricer } from './Pricer.js';
import type { RecordedRequest, RequestRecorder } from './RequestRecorder.js';
import { RequestFailedError } from './RequestFailedError.js';
import { RequestPipeline } from './RequestPipeline.js';
import { RetryPolicy } from './RetryPolicy.js';
import { seededRandom } from './seededRandom.js';

class MemoryRecorder implements RequestRecorder {
  rows: RecordedRequest[] = [];
  record(row: RecordedRequest): void {
    this.rows.push({ ...row });
  }
}

/** 10 µ$ per prompt token, 20 µ$ per completion token. */
const pricer: Pricer = { costMicros: (_m, p, c) => p * 10 + c * 20 };

/** Fake clock + sleep: waits are recorded and advance the clock instantly. */
function fakeTime() {
  let t = 1_700_000_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

let a: FakeOpenAIServer;
let b: FakeOpenAIServer;
let provA: OpenAICompatibleProvider;
let provB: OpenAICompatibleProvider;
let recorder: MemoryRecorder;
let time: ReturnType<typeof fakeTime>;
let pipeline: RequestPipeline;

// fresh servers per test: a failing test must not leave scripted replies behind for the next one
beforeEach(async () => {
  a = await FakeOpenAIServer.start();
  b = await FakeOpenAIServer.start();
  provA = await OpenAICompatibleProvider.create({ name: 'a', baseUrl: a.baseUrl, model: 'gpt-4o-mini', timeoutMs: 400 });
  provB = await OpenAICompatibleProvider.create({ name: 'b', baseUrl: b.baseUrl, model: 'gpt-4.1-nano', timeoutMs: 400 });
  recorder = new MemoryRecorder();
  time = fakeTime();
  pipeline = new RequestPipeline({ recorder, pricer, retry: new RetryPolicy({ maxAttempts: 3, random: seededRandom(7), sleep: time.sleep, now: time.now }) });
});
afterEach(async () => {
  await a.dispose();
  await b.dispose();
});

const req = { messages: [{ role: 'user' as const, content: 'What is the capital of France?' }], maxTokens: 16, temperature: 0 };
const call = (providers: LlmProvider[] = [provA], extra: object = {}) => ({ userId: 'u1', projectId: 'p1', endpoint: 'chat', providers, ...extra });

describe('RequestPipeline retries', () => {
  it('429 then success waits exactly the Retry-After and records both attempts linked to the first', async () => {
    a.enqueue({ kind: 'status', status: 429, headers: { 'Retry-After': '2' } }, { kind: 'stream', text: 'Paris.', usage: { prompt_tokens: 14, completion_tokens: 2 } });
    const r = await pipeline.generate(req, call());
    expect(r.text).toBe('Paris.');
    expect(time.sleeps).toEqual([2000]);
    expect(a.requests.length).toBe(2);
    expect(recorder.rows.map((x) => [x.attempt, x.status, x.errorCode])).toEqual([[1, 'error', 'RATE_LIMITED'], [2, 'ok', null]]);
    expect(recorder.rows[0]!.parentRequestId).toBeNull();
    expect(recorder.rows[1]!.parentRequestId).toBe(recorder.rows[0]!.requestId);
    expect(r.requestId).toBe(recorder.rows[0]!.requestId);
    expect(recorder.rows[1]!.costMicros).toBe(14 * 10 + 2 * 20);
    expect(r.costMicros).toBe(180); // the 429 was not billed
    expect(r.attempts[1]!.waitedMs).toBe(2000);
    expect(recorder.rows[1]!.ts - recorder.rows[0]!.ts).toBe(2000); // injected clock
  });

  it('honours a short Retry-After in real time', async () => {
    a.enqueue({ kind: 'status', status: 429, headers: { 'Retry-After': '0.3' } }, { kind: 'stream', text: 'ok' });
    const real = new RequestPipeline({ recorder, retry: new RetryPolicy({ maxAttempts: 2 }) });
    const t0 = performance.now();
    const r = await real.generate(req, call());
    const elapsed = performance.now() - t0;
    expect(r.text).toBe('ok');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3000);
    expect(r.attempts[1]!.waitedMs).toBe(300);
  });

  it('500, 500, success: three attempts, all recorded and linked to the parent, full-jitter waits', async () => {
    a.enqueue({ kind: 'status', status: 500 }, { kind: 'status', status: 502 }, { kind: 'stream', text: 'Paris.' });
    const r = await pipeline.generate(req, call());
    expect(r.attempts.length).toBe(3);
    expect(recorder.rows.length).toBe(3);
    const parent = recorder.rows[0]!.requestId;
    expect(recorder.rows.map((x) => x.parentRequestId)).toEqual([null, parent, parent]);
    expect(recorder.rows.map((x) => x.errorCode)).toEqual(['PROVIDER_UNAVAILABLE', 'PROVIDER_UNAVAILABLE', null]);
    expect(new Set(recorder.rows.map((x) => x.requestId)).size).toBe(3);
    // full jitter: first retry in [0, 250), second in [0, 500)
    expect(time.sleeps.length).toBe(2);
    expect(time.sleeps[0]!).toBeGreaterThanOrEqual(0);
    expect(time.sleeps[0]!).toBeLessThan(250);
    expect(time.sleeps[1]!).toBeLessThan(500);
  });

  it('does not retry (or fall back on) a 400', async () => {
    a.enqueue({ kind: 'status', status: 400, body: '{"error":{"message":"bad request"}}' });
    const err = await pipeline.generate(req, call([provA, provB])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestFailedError);
    expect(err).toMatchObject({ code: 'PROVIDER_ERROR', retryable: false, stopReason: 'not-retryable' });
    expect(a.requests.length).toBe(1);
    expect(b.requests.length).toBe(0);
    expect(recorder.rows.length).toBe(1);
    expect(time.sleeps).toEqual([]);
  });

  it('the attempts cap stops retries', async () => {
    a.enqueue({ kind: 'status', status: 500 }, { kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    const p = new RequestPipeline({ recorder, retry: new RetryPolicy({ maxAttempts: 2, sleep: time.sleep, now: time.now }) });
    const err = (await p.generate(req, call()).catch((e: unknown) => e)) as RequestFailedError;
    expect(err).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', stopReason: 'attempts-exhausted' });
    expect(err.attempts.length).toBe(2);
    expect(a.requests.length).toBe(2);
    expect(recorder.rows.length).toBe(2);
  });

  it('the dollar cap stops retries once spend + the next worst case would exceed it', async () => {
    // malformed 200 bodies: the prompt was processed, so each failed attempt is billed its prompt tokens
    const promptTokens = await provA.countTokens(req.messages[0]!.content);
    const worst = promptTokens * 10 + req.maxTokens * 20;
    const cap = promptTokens * 10 + worst; // allows exactly one retry
    a.enqueue({ kind: 'malformed' }, { kind: 'malformed' }, { kind: 'malformed' }, { kind: 'malformed' });
    const p = new RequestPipeline({ recorder, pricer, retry: new RetryPolicy({ maxAttempts: 5, maxCostMicros: cap, sleep: time.sleep, now: time.now }) });
    const err = (await p.generate(req, call()).catch((e: unknown) => e)) as RequestFailedError;
    expect(err).toMatchObject({ code: 'PROVIDER_ERROR', stopReason: 'cost-cap' });
    expect(a.requests.length).toBe(2);
    expect(recorder.rows.map((x) => x.costMicros)).toEqual([promptTokens * 10, promptTokens * 10]);
    expect(recorder.rows.every((x) => x.promptTokens === promptTokens && x.status === 'error')).toBe(true);
  });

  it('falls back remote→remote and records every attempt across the chain', async () => {
    a.enqueue({ kind: 'status', status: 503 }, { kind: 'reset' }, { kind: 'status', status: 500 });
    b.enqueue({ kind: 'stream', text: 'Paris, from b.' });
    const r = await pipeline.generate(req, call([provA, provB]));
    expect(r.text).toBe('Paris, from b.');
    expect(r.provider).toBe('openai-compatible:b');
    expect(r.model).toBe('gpt-4.1-nano');
    expect(a.requests.length).toBe(3);
    expect(b.requests.length).toBe(1);
    expect(recorder.rows.map((x) => [x.attempt, x.provider, x.status])).toEqual([
      [1, 'openai-compatible:a', 'error'],
      [2, 'openai-compatible:a', 'error'],
      [3, 'openai-compatible:a', 'error'],
      [4, 'openai-compatible:b', 'ok'],
    ]);
    const parent = recorder.rows[0]!.requestId;
    expect(recorder.rows.slice(1).every((x) => x.parentRequestId === parent)).toBe(true);
    expect(time.sleeps.length).toBe(2); // no wait before the fallback's first attempt
  });

  it('falls back without retrying on a provider-specific 401, and on a Retry-After longer than allowed', async () => {
    a.enqueue({ kind: 'status', status: 401, body: '{"error":{"message":"bad key"}}' });
    b.enqueue({ kind: 'stream', text: 'from b' });
    const r = await pipeline.generate(req, call([provA, provB]));
    expect(r.text).toBe('from b');
    expect(recorder.rows.map((x) => [x.provider, x.errorCode])).toEqual([['openai-compatible:a', 'PROVIDER_ERROR'], ['openai-compatible:b', null]]);
    a.enqueue({ kind: 'status', status: 429, headers: { 'Retry-After': '3600' } });
    b.enqueue({ kind: 'stream', text: 'from b again' });
    const r2 = await pipeline.generate(req, call([provA, provB]));
    expect(r2.text).toBe('from b again');
    expect(time.sleeps).toEqual([]); // nobody waited an hour
  });

  it('falls back local→remote when the local model is not loaded (provider down, not retried)', async () => {
    let calls = 0;
    const local: LlmProvider = {
      providerId: 'local', model: 'qwen2.5-0.5b', kind: 'local', contextSize: 4096,
      generate: async () => {
        calls += 1;
        throw new ModelNotLoadedError();
      },
      countTokens: async (t) => t.length,
      dispose: async () => {},
    };
    b.enqueue({ kind: 'stream', text: 'remote answer' });
    const r = await pipeline.generate(req, call([local, provB]));
    expect(r).toMatchObject({ text: 'remote answer', provider: 'openai-compatible:b' });
    expect(calls).toBe(1);
    expect(recorder.rows.map((x) => [x.provider, x.errorCode, x.attempt])).toEqual([['local', 'MODEL_NOT_LOADED', 1], ['openai-compatible:b', null, 2]]);
  });

  it('the dollar cap also stops a fallback whose worst case would exceed it', async () => {
    const promptTokens = await provA.countTokens(req.messages[0]!.content);
    a.enqueue({ kind: 'hang' });
    const p = new RequestPipeline({ recorder, pricer, retry: new RetryPolicy({ maxAttempts: 1, maxCostMicros: promptTokens * 10 + 100, sleep: time.sleep, now: time.now }) });
    const err = (await p.generate(req, call([provA, provB])).catch((e: unknown) => e)) as RequestFailedError;
    expect(err).toMatchObject({ code: 'TIMEOUT', stopReason: 'cost-cap' });
    expect(b.requests.length).toBe(0);
    expect(err.attempts.length).toBe(1);
  });

  it('reports the last error with every attempt when the whole chain fails', async () => {
    a.enqueue({ kind: 'status', status: 500 }, { kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    b.enqueue({ kind: 'status', status: 429 }, { kind: 'status', status: 429 }, { kind: 'status', status: 429 });
    const err = (await pipeline.generate(req, call([provA, provB])).catch((e: unknown) => e)) as RequestFailedError;
    expect(err).toMatchObject({ code: 'RATE_LIMITED', retryable: true, stopReason: 'attempts-exhausted' });
    expect(err.attempts.map((x) => x.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(recorder.rows.length).toBe(6);
  });

  it('retries a timeout and bills the timed-out prompt', async () => {
    a.enqueue({ kind: 'hang' }, { kind: 'stream', text: 'late but fine' });
    const r = await pipeline.generate(req, call());
    expect(r.text).toBe('late but fine');
    expect(recorder.rows[0]).toMatchObject({ status: 'error', errorCode: 'TIMEOUT' });
    expect(recorder.rows[0]!.latencyMs).toBeGreaterThanOrEqual(350);
    expect(recorder.rows[0]!.promptTokens).toBeGreaterThan(0);
  });

  it('retries a malformed body', async () => {
    a.enqueue({ kind: 'malformed' }, { kind: 'json', text: 'Paris.' });
    const r = await pipeline.generate(req, call());
    expect(r.text).toBe('Paris.');
    expect(recorder.rows.map((x) => x.errorCode)).toEqual(['PROVIDER_ERROR', null]);
  });

  it('a budget gate blocks before any HTTP request is made', async () => {
    const seen: unknown[] = [];
    const p = new RequestPipeline({
      recorder,
      budget: {
        check: (e) => {
          seen.push(e);
          throw new AppError('BUDGET_EXCEEDED', 'monthly budget reached');
        },
      },
    });
    await expect(p.generate(req, call([provA, provB]))).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
    expect(a.requests.length).toBe(0);
    expect(b.requests.length).toBe(0);
    expect(recorder.rows.length).toBe(0);
    expect(seen).toEqual([{ userId: 'u1', projectId: 'p1', model: 'gpt-4o-mini', provider: 'openai-compatible:a', promptTokens: await provA.countTokens(req.messages[0]!.content), maxCompletionTokens: 16 }]);
  });

  it('cancellation during an attempt records a cancelled row and does not retry', async () => {
    a.enqueue({ kind: 'stream', text: 'x'.repeat(300), chunkSize: 1, delayMs: 5 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 80);
    await expect(pipeline.generate(req, call([provA, provB], { signal: controller.signal }))).rejects.toMatchObject({ code: 'CANCELLED', details: { phase: 'attempt' } });
    expect(recorder.rows.map((x) => [x.status, x.errorCode])).toEqual([['cancelled', 'CANCELLED']]);
    expect(b.requests.length).toBe(0);
    expect(time.sleeps).toEqual([]);
  });

  it('cancellation aborts a backoff wait', async () => {
    a.enqueue({ kind: 'status', status: 429, headers: { 'Retry-After': '20' } });
    const real = new RequestPipeline({ recorder, retry: new RetryPolicy({ maxAttempts: 3 }) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const t0 = performance.now();
    await expect(real.generate(req, call([provA], { signal: controller.signal }))).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(a.requests.length).toBe(1);
  });
});

describe('RequestPipeline with the response cache', () => {
  let dir: string;
  let cache: ResponseCache;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-pipeline-'));
    cache = await ResponseCache.open({ dir, embedder: new HashingEmbedder() });
  });
  afterEach(async () => {
    await cache.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves a repeat from the cache, records the hit with the cost the miss would have had', async () => {
    const p = new RequestPipeline({ recorder, pricer, cache, retry: new RetryPolicy({ sleep: time.sleep, now: time.now }) });
    a.enqueue({ kind: 'stream', text: 'Paris.', usage: { prompt_tokens: 14, completion_tokens: 2 } });
    const first = await p.generate(req, call([provA], { cache: { docIds: ['doc-1'], corpusVersion: 'c1' } }));
    expect(first.cacheHit).toBe(false);
    const again = await p.generate(req, call([provA], { cache: { corpusVersion: 'c1' } }));
    expect(again).toMatchObject({ cacheHit: true, cacheKind: 'exact', text: 'Paris.', costMicros: 0, savedMicros: 180, provider: 'openai-compatible:a' });
    expect(a.requests.length).toBe(1);
    expect(recorder.rows[1]).toMatchObject({ cacheHit: true, status: 'ok', costMicros: 180, promptTokens: 14, completionTokens: 2, attempt: 1, parentRequestId: null });
    // paraphrase → semantic hit
    const para = await p.generate({ ...req, messages: [{ role: 'user', content: 'what is the capital of france' }] }, call([provA], { cache: { corpusVersion: 'c1' } }));
    expect(para).toMatchObject({ cacheHit: true, cacheKind: 'semantic' });
    expect(a.requests.length).toBe(1);
    // the document changed → miss
    expect(cache.invalidateByDocument('doc-1')).toBe(1);
    a.enqueue({ kind: 'stream', text: 'Paris (fresh).' });
    const fresh = await p.generate(req, call([provA], { cache: { corpusVersion: 'c1' } }));
    expect(fresh.cacheHit).toBe(false);
    expect(a.requests.length).toBe(2);
    expect(cache.stats()).toMatchObject({ exactHits: 1, semanticHits: 1, misses: 2 });
  });

  it('does not cache sampled (temperature > 0, unseeded) requests', async () => {
    const p = new RequestPipeline({ recorder, cache });
    a.enqueue({ kind: 'stream', text: 'one' }, { kind: 'stream', text: 'two' });
    await p.generate({ ...req, temperature: 0.8 }, call());
    const r = await p.generate({ ...req, temperature: 0.8 }, call());
    expect(r).toMatchObject({ cacheHit: false, text: 'two' });
    expect(a.requests.length).toBe(2);
    expect(cache.stats().entries).toBe(0);
  });
});

describe('RequestPipeline cache hits stream and credit local runs', () => {
  let dir: string;
  let cache: ResponseCache;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-pipeline-replay-'));
    cache = await ResponseCache.open({ dir });
  });
  afterEach(async () => {
    await cache.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a hit replays its text through onTextChunk in several chunks, like a miss streams', async () => {
    const text = 'Paris is the capital and largest city of France, on the Seine.';
    const p = new RequestPipeline({ recorder, pricer, cache });
    a.enqueue({ kind: 'stream', text, usage: { prompt_tokens: 14, completion_tokens: 15 } });
    const missChunks: string[] = [];
    const miss = await p.generate({ ...req, onTextChunk: (t) => missChunks.push(t) }, call([provA]));
    expect(miss.cacheHit).toBe(false);
    expect(missChunks.join('')).toBe(text);
    const hitChunks: { text: string; tokens: number; at: number }[] = [];
    const hit = await p.generate({ ...req, onTextChunk: (t, tokens) => hitChunks.push({ text: t, tokens, at: performance.now() }) }, call([provA]));
    expect(hit).toMatchObject({ cacheHit: true, text });
    expect(a.requests.length).toBe(1);
    expect(hitChunks.length).toBeGreaterThan(1);
    expect(hitChunks.length).toBeLessThanOrEqual(8);
    expect(hitChunks.map((c) => c.text).join('')).toBe(text);
    // completion tokens rise to the stored count
    expect(hitChunks.at(-1)!.tokens).toBe(15);
    for (let i = 1; i < hitChunks.length; i++) expect(hitChunks[i]!.tokens).toBeGreaterThanOrEqual(hitChunks[i - 1]!.tokens);
  });

  it('an unpriced (local) hit is credited with the run cost of the original latency', async () => {
    const runCosts: number[] = [];
    const localPricer: Pricer = {
      costMicros: () => null,
      runCostMicros: (_provider, _model, latencyMs) => {
        runCosts.push(latencyMs);
        return Math.round(latencyMs * 1000);
      },
    };
    const p = new RequestPipeline({ recorder, pricer: localPricer, cache });
    a.enqueue({ kind: 'stream', text: 'ok', usage: { prompt_tokens: 3, completion_tokens: 1 } });
    const miss = await p.generate(req, call([provA]));
    const originalLatency = miss.attempts[0]!.latencyMs;
    expect(originalLatency).toBeGreaterThan(0);
    const hit = await p.generate(req, call([provA]));
    expect(runCosts).toEqual([originalLatency]);
    expect(hit.savedMicros).toBe(Math.round(originalLatency * 1000));
    expect(recorder.rows.at(-1)).toMatchObject({ cacheHit: true, costMicros: Math.round(originalLatency * 1000) });
  });
});
