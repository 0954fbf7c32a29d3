import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAIServer } from './FakeOpenAIServer.js';
import { OpenAICompatibleProvider, parseRetryAfter } from './OpenAICompatibleProvider.js';

let fake: FakeOpenAIServer;
let provider: OpenAICompatibleProvider;

beforeAll(async () => {
  fake = await FakeOpenAIServer.start();
  provider = await OpenAICompatibleProvider.create({ name: 'fake', baseUrl: fake.baseUrl, apiKey: 'sk-test', model: 'gpt-4o-mini', timeoutMs: 1500 });
});
afterAll(async () => {
  await fake.dispose();
});

describe('OpenAICompatibleProvider against a loopback server', () => {
  it('streams chunks and reads the provider-reported usage', async () => {
    fake.enqueue({ kind: 'stream', text: 'The answer is 42.', chunkSize: 3, usage: { prompt_tokens: 11, completion_tokens: 6 } });
    const chunks: string[] = [];
    const r = await provider.generate({ messages: [{ role: 'user', content: 'What is it?' }], maxTokens: 20, temperature: 0, seed: 3, onTextChunk: (t) => chunks.push(t) });
    expect(r.text).toBe('The answer is 42.');
    expect(chunks.join('')).toBe(r.text);
    expect(chunks.length).toBe(6);
    expect(r.promptTokens).toBe(11);
    expect(r.completionTokens).toBe(6);
    const sent = fake.requests.at(-1)!;
    expect(sent.headers.authorization).toBe('Bearer sk-test');
    expect(sent.body).toMatchObject({ model: 'gpt-4o-mini', stream: true, max_tokens: 20, temperature: 0, seed: 3 });
  });

  it('estimates tokens with a real BPE when usage is missing', async () => {
    fake.enqueue({ kind: 'json', text: 'hello world' });
    const r = await provider.generate({ prompt: 'Say hello world', maxTokens: 5, temperature: 0 });
    expect(r.text).toBe('hello world');
    expect(r.completionTokens).toBe(2); // "hello", " world" in o200k_base
    expect(r.promptTokens).toBe(3);
  });

  it('maps 429 with Retry-After to a retryable RATE_LIMITED', async () => {
    fake.enqueue({ kind: 'status', status: 429, headers: { 'Retry-After': '2' } });
    await expect(provider.generate({ prompt: 'x', maxTokens: 1, temperature: 0 })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      details: { retryAfterMs: 2000, status: 429 },
    });
  });

  it('maps 500 and resets to retryable PROVIDER_UNAVAILABLE, 400 to a final PROVIDER_ERROR', async () => {
    fake.enqueue({ kind: 'status', status: 503 });
    await expect(provider.generate({ prompt: 'x', maxTokens: 1, temperature: 0 })).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    fake.enqueue({ kind: 'reset' });
    await expect(provider.generate({ prompt: 'x', maxTokens: 1, temperature: 0 })).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    fake.enqueue({ kind: 'status', status: 400, body: '{"error":{"message":"bad model"}}' });
    await expect(provider.generate({ prompt: 'x', maxTokens: 1, temperature: 0 })).rejects.toMatchObject({ code: 'PROVIDER_ERROR', retryable: false, message: expect.stringContaining('bad model') });
  });

  it('times out a hanging server with TIMEOUT', async () => {
    fake.enqueue({ kind: 'hang' });
    await expect(provider.generate({ prompt: 'x', maxTokens: 1, temperature: 0 })).rejects.toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('reports a malformed body as a retryable PROVIDER_ERROR', async () => {
    fake.enqueue({ kind: 'malformed' });
    await expect(provider.generate({ prompt: 'x', maxTokens: 1, temperature: 0 })).rejects.toMatchObject({ code: 'PROVIDER_ERROR', retryable: true });
  });

  it('refuses a GBNF grammar instead of ignoring it', async () => {
    await expect(provider.generate({ prompt: 'x', maxTokens: 1, temperature: 0, grammar: 'root ::= "a"' })).rejects.toMatchObject({ code: 'SCHEMA_UNSUPPORTED' });
  });

  it('cancels on the caller signal', async () => {
    fake.enqueue({ kind: 'stream', text: 'a'.repeat(200), chunkSize: 1, delayMs: 5 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(provider.generate({ prompt: 'x', maxTokens: 300, temperature: 0, signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('rejects a bad base URL', async () => {
    await expect(OpenAICompatibleProvider.create({ name: 'x', baseUrl: 'not a url', model: 'm' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(OpenAICompatibleProvider.create({ name: 'x', baseUrl: 'file:///etc/passwd', model: 'm' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(parseRetryAfter('Thu, 26 Nov 2026 12:00:10 GMT', now)).toBe(10_000);
  });
});
