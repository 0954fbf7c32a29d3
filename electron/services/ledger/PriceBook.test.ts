import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { LedgerStore } from './LedgerStore.js';
import { PriceNotFoundError } from './PriceNotFoundError.js';

const PRICE_FILE = '/work/shared/data/pricing/model_prices_and_context_window.json';
const priceText = readFileSync(PRICE_FILE, 'utf8');

/**
 * The literal decimal LiteLLM wrote for `field` of `model` — read from the file text, not through
 * JSON.parse, so this oracle is independent of the code under test.
 */
function literal(model: string, field: string): string | undefined {
  const start = priceText.indexOf(`${JSON.stringify(model)}: {`);
  const end = priceText.indexOf('\n  }', start);
  const m = new RegExp(`"${field}": ([0-9.eE+-]+)`).exec(priceText.slice(start, end));
  return m?.[1];
}

/** Exact LiteLLM formula: tokens × decimal USD/token, in µ$, as a rational p/q (BigInt). */
function exactMicros(tokens: number, decimal: string): { p: bigint; q: bigint } {
  const [mant, expPart] = decimal.toLowerCase().split('e');
  const [i, f = ''] = mant!.split('.');
  const digits = BigInt(`${i}${f}`);
  const exp = Number(expPart ?? 0) - f.length + 6; // × 1e6 for micro-dollars
  return exp >= 0 ? { p: BigInt(tokens) * digits * 10n ** BigInt(exp), q: 1n } : { p: BigInt(tokens) * digits, q: 10n ** BigInt(-exp) };
}
const roundHalfUp = ({ p, q }: { p: bigint; q: bigint }) => Number((p * 2n + q) / (2n * q));

describe('PriceBook', () => {
  let store: LedgerStore | undefined;
  afterEach(() => store?.dispose());

  it('imports LiteLLM prices and matches its cost formula exactly on several models', async () => {
    store = await LedgerStore.open({ file: ':memory:' });
    const r = store.importLiteLLM(priceText, { validFrom: 0 });
    const json = JSON.parse(priceText) as Record<string, Record<string, unknown>>;
    expect(r.imported + r.unchanged + r.skipped.length).toBe(Object.keys(json).length);
    expect(r.imported).toBeGreaterThan(200);
    expect(r.inexact).toEqual([]);
    const models = ['gpt-4o', 'claude-3-7-sonnet-20250219', 'claude-3-haiku-20240307', 'gemini-2.0-flash', 'deepseek-chat', 'gpt-4o-mini'];
    for (const model of models) {
      const input = literal(model, 'input_cost_per_token');
      const output = literal(model, 'output_cost_per_token');
      expect(input, model).toBeDefined();
      for (const [p, c] of [[1, 1], [1234, 567], [98_765, 4321], [3_000_001, 17]] as const) {
        const got = store.costOf({ model, promptTokens: p, completionTokens: c, at: 1 });
        expect(got.promptMicros, `${model} prompt ${p}`).toBe(roundHalfUp(exactMicros(p, input!)));
        expect(got.completionMicros, `${model} completion ${c}`).toBe(roundHalfUp(exactMicros(c, output!)));
        expect(got.totalMicros).toBe(got.promptMicros + got.completionMicros);
      }
    }
    // cached tokens: (prompt − cached) × input + cached × cache_read, as LiteLLM bills them
    const cacheRead = literal('claude-3-7-sonnet-20250219', 'cache_read_input_token_cost')!;
    const input = exactMicros(10_000 - 4_000, literal('claude-3-7-sonnet-20250219', 'input_cost_per_token')!);
    const cached = exactMicros(4_000, cacheRead);
    const sum = { p: input.p * cached.q + cached.p * input.q, q: input.q * cached.q };
    expect(store.costOf({ model: 'claude-3-7-sonnet-20250219', promptTokens: 10_000, completionTokens: 0, cachedTokens: 4_000, at: 1 }).promptMicros).toBe(roundHalfUp(sum));
  });

  it('re-importing the same file changes nothing', async () => {
    store = await LedgerStore.open({ file: ':memory:' });
    const first = store.importLiteLLM(priceText, { validFrom: 1000 });
    const again = store.importLiteLLM(priceText, { validFrom: 2000 });
    expect(again.imported).toBe(0);
    expect(again.unchanged).toBe(first.imported);
  });

  it('prices each request at the rate in force at its timestamp', async () => {
    store = await LedgerStore.open({ file: ':memory:' });
    const T1 = Date.UTC(2026, 0, 1);
    const T2 = Date.UTC(2026, 5, 1);
    store.importLiteLLM({ m: { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, litellm_provider: 'openai' } }, { validFrom: T1, source: 'v1' });
    store.importLiteLLM({ m: { input_cost_per_token: 5e-7, output_cost_per_token: 1e-6, litellm_provider: 'openai' } }, { validFrom: T2, source: 'v2' });
    expect(() => store!.costOf({ model: 'm', promptTokens: 1, completionTokens: 1, at: T1 - 1 })).toThrow(PriceNotFoundError);
    expect(store.costOf({ model: 'm', promptTokens: 1_000_000, completionTokens: 0, at: T2 - 1 })).toMatchObject({ totalMicros: 1_000_000, pricingVersion: `v1@${T1}` });
    expect(store.costOf({ model: 'm', promptTokens: 1_000_000, completionTokens: 0, at: T2 })).toMatchObject({ totalMicros: 500_000, pricingVersion: `v2@${T2}` });
    const old = store.recordRequest({ ts: T2 - 10, endpoint: 'chat', provider: 'openai', model: 'm', promptTokens: 1000, completionTokens: 1000, latencyMs: 5, status: 'ok' });
    const recent = store.recordRequest({ ts: T2 + 10, endpoint: 'chat', provider: 'openai', model: 'm', promptTokens: 1000, completionTokens: 1000, latencyMs: 5, status: 'ok' });
    expect([old.totalCostMicros, recent.totalCostMicros]).toEqual([3000, 1500]);
    expect(store.prices.list(T2 - 1).map((p) => p.inputPer1M)).toEqual([1_000_000]);
    expect(store.prices.list(T2).map((p) => p.inputPer1M)).toEqual([500_000]);
  });

  it('skips sample_spec and entries without token prices', async () => {
    store = await LedgerStore.open({ file: ':memory:' });
    const r = store.importLiteLLM({
      sample_spec: { input_cost_per_token: 0, output_cost_per_token: 0 },
      'dall-e': { output_cost_per_image: 0.04, litellm_provider: 'openai' },
      ok: { input_cost_per_token: '3e-06', litellm_provider: 'x' },
    }, { validFrom: 0 });
    expect(r.imported).toBe(1);
    expect(r.skipped.map((s) => s.model).sort()).toEqual(['dall-e', 'sample_spec']);
    expect(store.costOf({ model: 'ok', promptTokens: 1000, completionTokens: 1000, at: 1 }).totalMicros).toBe(3000);
  });
});
