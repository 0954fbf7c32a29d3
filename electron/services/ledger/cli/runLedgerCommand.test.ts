import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LedgerStore } from '../LedgerStore.js';
import { runLedgerCommand } from './runLedgerCommand.js';

const PRICE_FILE = '/work/shared/data/pricing/model_prices_and_context_window.json';

describe('runLedgerCommand', () => {
  let dir: string;
  let out: string;
  const run = (argv: string[], json = false) => runLedgerCommand(argv, { dataDir: dir, json, out: (s) => (out += s) });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
    out = '';
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('imports prices and prices a request as an exact decimal string', async () => {
    expect(await run(['prices', 'import', PRICE_FILE, '--valid-from', '0'])).toBe(0);
    expect(out).toMatch(/^imported 217, unchanged 0, skipped 1\n$/);
    out = '';
    // gpt-4o: 123,457 × $2.50/1M = $0.3086425; 1,001 × $10/1M = $0.01001
    expect(await run(['cost', '--model', 'gpt-4o', '--prompt-tokens', '123457', '--completion-tokens', '1001'])).toBe(0);
    expect(out).toBe('$0.318653 (prompt $0.308643 + completion $0.010010; litellm@0)\n');
    out = '';
    expect(await run(['cost', '--model', 'gpt-4o', '--prompt-tokens', '1000', '--completion-tokens', '0', '--cached-tokens', '1000'], true)).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ totalMicros: 1250, totalUsd: '0.001250' });
    out = '';
    expect(await run(['prices', 'list', '--model', 'gpt-4o-mini'], true)).toBe(0);
    expect((JSON.parse(out) as { model: string }[]).every((p) => p.model.includes('gpt-4o-mini'))).toBe(true);
  });

  it('reports, budgets and exports over a populated ledger', async () => {
    const store = await LedgerStore.open({ dataDir: dir, compareModels: ['m'] });
    store.importLiteLLM({ m: { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, litellm_provider: 'openai' } }, { validFrom: 0 });
    const T = Date.UTC(2026, 10, 1, 12);
    store.recordRequest({ ts: T, userId: 'ann', endpoint: 'chat', provider: 'openai', model: 'm', promptTokens: 1000, completionTokens: 500, latencyMs: 10, status: 'ok' });
    store.recordRequest({ ts: T + 1, userId: 'bob', endpoint: 'extract', provider: 'local', model: 'q', promptTokens: 10, completionTokens: 10, latencyMs: 3_600_000, status: 'ok' });
    store.dispose();

    expect(await run(['report', '--by', 'user'], true)).toBe(0);
    expect((JSON.parse(out) as { userId: string; costMicros: number }[]).map((r) => [r.userId, r.costMicros])).toEqual([['bob', 4200], ['ann', 2000]]);
    out = '';
    expect(await run(['report', '--by', 'endpoint', '--since', '2026-11-01T12:00:00.001Z'])).toBe(0);
    expect(out).toContain('extract');
    expect(out).not.toContain('chat');
    out = '';
    expect(await run(['compare-local-cloud'])).toBe(0);
    expect(out).toContain('0.004200'); // local
    expect(out).toContain('0.000030'); // cloud shadow: 10 + 20 µ$
    expect(out).toContain('-0.004170');
    out = '';
    expect(await run(['budget', 'set', '--scope', 'user', '--id', 'ann', '--period', 'month', '--usd', '2.50'])).toBe(0);
    expect(out).toBe('user ann: $2.500000 per month\n');
    out = '';
    expect(await run(['budget', 'show'], true)).toBe(0);
    expect(JSON.parse(out)).toEqual([{ scope: 'user', scopeId: 'ann', period: 'month', limitMicros: 2_500_000, spentMicros: expect.any(Number) }]);
    out = '';
    expect(await run(['export', '--format', 'csv'])).toBe(0);
    expect(out.split('\r\n').filter(Boolean)).toHaveLength(3);
    out = '';
    expect(await run(['expensive', '--limit', '1'], true)).toBe(0);
    expect((JSON.parse(out) as { userId: string }[]).map((r) => r.userId)).toEqual(['bob']);
    out = '';
    expect(await run(['anomalies'], true)).toBe(0);
    expect(JSON.parse(out)).toEqual([]);
  });

  it('returns 2 with usage on bad input', async () => {
    expect(await run(['report', '--by', 'week'])).toBe(2);
    expect(out).toContain('--by must be one of day|model|user|endpoint');
    out = '';
    expect(await run(['cost', '--model', 'x', '--prompt-tokens', '-3', '--completion-tokens', '1'], true)).toBe(2);
    expect(JSON.parse(out)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    out = '';
    expect(await run(['frobnicate'])).toBe(2);
    expect(await run(['report', '--nope'])).toBe(2);
    writeFileSync(join(dir, 'bad.json'), '[1,2]');
    await expect(run(['prices', 'import', join(dir, 'bad.json')])).rejects.toThrow(TypeError);
  });
});
