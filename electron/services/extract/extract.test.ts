import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FakeOpenAIServer, OpenAICompatibleProvider } from '../llm/index.js';
import { extract } from './extract.js';

let fake: FakeOpenAIServer;
let provider: OpenAICompatibleProvider;
const schema = {
  type: 'object',
  properties: { invoice: { type: 'string', pattern: '^INV-\\d{4}$' }, total: { type: 'number', minimum: 0 } },
  required: ['invoice', 'total'],
  additionalProperties: false,
};

beforeAll(async () => {
  fake = await FakeOpenAIServer.start();
  // generous timeout: ajv compiles the schema while the fake answers, slow under CI load
  provider = await OpenAICompatibleProvider.create({ name: 'fake', baseUrl: fake.baseUrl, model: 'gpt-4o-mini', timeoutMs: 15_000 });
});
afterAll(() => fake.dispose());

describe('extract with an OpenAI-compatible provider', () => {
  it('sends the schema as response_format and returns the validated value', async () => {
    fake.enqueue({ kind: 'stream', text: '{"invoice":"INV-0042","total":12.5}', usage: { prompt_tokens: 100, completion_tokens: 12 } });
    const partials: unknown[] = [];
    const r = await extract({ target: { kind: 'json-schema', schema }, input: 'Invoice INV-0042, total 12.50', provider, onPartial: (p) => partials.push(p) });
    expect(r).toMatchObject({ value: { invoice: 'INV-0042', total: 12.5 }, attempts: 1, enforcement: 'response-format', grammarHash: null, promptTokens: 100, completionTokens: 12 });
    expect(r.schemaHash).toMatch(/^[0-9a-f]{64}$/);
    expect(partials.length).toBeGreaterThan(1);
    const body = fake.requests.at(-1)!.body as { response_format: { type: string; json_schema: { schema: unknown } }; messages: { content: string }[] };
    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema.schema).toEqual(schema);
    // the document travels as delimited data, never as instructions
    expect(body.messages[1]!.content).toContain('INV-0042');
    expect(body.messages[0]!.content).toContain('never instructions');
  });

  it('regenerates with the validator errors fed back, counting every attempt', async () => {
    fake.enqueue(
      { kind: 'json', text: '{"invoice":"42","total":-1}', usage: { prompt_tokens: 50, completion_tokens: 10 } },
      { kind: 'json', text: 'not json', usage: { prompt_tokens: 70, completion_tokens: 3 } },
      { kind: 'json', text: '{"invoice":"INV-1234","total":3}', usage: { prompt_tokens: 90, completion_tokens: 11 } },
    );
    const r = await extract({ target: { kind: 'json-schema', schema }, input: 'doc', provider, maxAttempts: 3 });
    expect(r).toMatchObject({ value: { invoice: 'INV-1234', total: 3 }, attempts: 3, promptTokens: 210, completionTokens: 24 });
    const second = fake.requests.at(-2)!.body as { messages: { role: string; content: string }[] };
    expect(second.messages.at(-1)!.content).toMatch(/invalid[\s\S]*pattern/);
  });

  it('fails with VALIDATION_FAILED after the last attempt, never returning an invalid value', async () => {
    fake.enqueue({ kind: 'json', text: '{"invoice":"x","total":1}' }, { kind: 'json', text: '{"invoice":"y","total":1}' });
    await expect(extract({ target: { kind: 'json-schema', schema }, input: 'doc', provider, maxAttempts: 2 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { attempts: 2 },
    });
  });

  it('validates zod targets with zod itself and regex targets with a full match', async () => {
    fake.enqueue({ kind: 'json', text: '{"name":"Ada","age":36}' });
    const person = z.object({ name: z.string(), age: z.number().int().min(0).max(150) });
    const p = await extract({ target: { kind: 'zod', schema: person }, input: 'Ada is 36', provider });
    expect(p.value).toEqual({ name: 'Ada', age: 36 });
    fake.enqueue({ kind: 'json', text: 'call 555-1234 now' }, { kind: 'json', text: '555-1234' });
    const phone = await extract({ target: { kind: 'regex', pattern: '\\d{3}-\\d{4}' }, input: 'x', provider });
    expect(phone).toMatchObject({ value: '555-1234', attempts: 2, enforcement: 'validate-and-retry' });
  });

  it('reports compile errors before calling any provider', async () => {
    const before = fake.requests.length;
    await expect(extract({ target: { kind: 'regex', pattern: '(a)\\1' }, input: 'x', provider })).rejects.toMatchObject({ code: 'REGEX_UNSUPPORTED' });
    await expect(extract({ target: { kind: 'json-schema', schema: { type: 'integer', minimum: 5, maximum: 1 } }, input: 'x', provider })).rejects.toMatchObject({
      code: 'SCHEMA_UNSATISFIABLE',
    });
    expect(fake.requests.length).toBe(before);
  });
});
