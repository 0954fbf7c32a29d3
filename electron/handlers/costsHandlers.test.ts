import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, EventPayload } from '../../shared/contract/index.js';
import type { LedgerRequestInput } from '../services/ledger/index.js';
import { createApp, type HearthApp } from './createApp.js';
import { createDirectClient } from './createDirectClient.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.now();
const TODAY = Math.floor(NOW / DAY) * DAY;
const PRICES = {
  'gpt-4o-mini': { input_cost_per_token: 1.5e-7, output_cost_per_token: 6e-7, litellm_provider: 'openai' },
  'gpt-4o': { input_cost_per_token: 2.5e-6, output_cost_per_token: 1e-5, cache_read_input_token_cost: 1.25e-6, litellm_provider: 'openai' },
  sample_spec: { input_cost_per_token: 0 },
};

let dir: string;
let app: HearthApp;
let api: ApiClient;

const row = (o: Partial<LedgerRequestInput> & Pick<LedgerRequestInput, 'model' | 'provider'>): LedgerRequestInput => ({
  endpoint: 'chat', promptTokens: 1000, completionTokens: 100, latencyMs: 500, status: 'ok', ts: TODAY + HOUR, ...o,
});

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-costs-'));
  app = await createApp({ dataDir: dir, cpuOnly: true });
  // The hand-computed local costs below use 28 W at $0.15/kWh (Settings → power feeds the ledger).
  await app.services.settings.update({ power: { deviceWatts: 28, electricityUsdPerKwh: 0.15, hardwareCostUsd: null, hardwareLifetimeHours: null } });
  api = createDirectClient(app);
  // prices in force since the epoch, so the seeded rows below (timed before the test's own import) are priced
  app.services.ledger.importLiteLLM({ 'gpt-4o-mini': PRICES['gpt-4o-mini'], 'gpt-4o': PRICES['gpt-4o'] }, { validFrom: 0 });
});
afterAll(async () => {
  await app.dispose();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('costs channels', () => {
  it('start empty: summary with zero totals, no budgets, no alerts', async () => {
    const s = await api['costs.summary']({});
    expect(s.totals).toMatchObject({ requests: 0, costMicros: 0, costUsd: '0.000000', cacheHits: 0 });
    expect(s.byDayModel).toEqual([]);
    expect((await api['costs.budgets.list']({})).budgets).toEqual([]);
    expect((await api['costs.alerts.list']({})).alerts).toEqual([]);
  });

  it('imports LiteLLM prices from text, lists and sets prices exactly', async () => {
    const file = { ...PRICES, 'new-model': { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, litellm_provider: 'acme' } };
    const r = await api['costs.prices.importLitellm']({ json: JSON.stringify(file) });
    expect(r).toEqual({ imported: 1, unchanged: 2, skipped: 1, inexact: [] });
    await expect(api['costs.prices.importLitellm']({ json: '{not json' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(api['costs.prices.importLitellm']({ json: '[1,2]' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const set = await api['costs.prices.set']({ model: 'my-model', provider: 'acme', inputUsdPer1M: '0.1', outputUsdPer1M: '0.4' });
    expect(set.changed).toBe(true);
    expect(set.price).toMatchObject({ inputPer1MMicros: 100_000, outputPer1MMicros: 400_000, inputUsdPer1M: '0.100000', cachedInputUsdPer1M: null, source: 'manual' });
    const prices = (await api['costs.prices.list']({})).prices;
    expect(prices.map((p) => p.model).sort()).toEqual(['gpt-4o', 'gpt-4o-mini', 'my-model', 'new-model']);
    expect(prices.find((p) => p.model === 'gpt-4o')).toMatchObject({ inputUsdPer1M: '2.500000', outputUsdPer1M: '10.000000', cachedInputUsdPer1M: '1.250000' });
    await expect(api['costs.prices.set']({ model: 'x', provider: 'y', inputUsdPer1M: '-1', outputUsdPer1M: '1' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('reports exact totals by day×model, provider, user, endpoint; most expensive; export', async () => {
    const ledger = app.services.ledger;
    ledger.recordMany([
      row({ model: 'gpt-4o', provider: 'openai', userId: 'ann', endpoint: 'chat' }), // 2500 + 1000 = 3500 µ$
      row({ model: 'gpt-4o', provider: 'openai', userId: 'bob', endpoint: 'extract', promptTokens: 2000 }), // 5000 + 1000 = 6000
      row({ model: 'gpt-4o-mini', provider: 'openai', userId: 'ann', endpoint: 'chat', ts: TODAY - DAY + HOUR }), // 150 + 60 = 210
      row({ model: 'gpt-4o', provider: 'openai', userId: 'ann', endpoint: 'chat', cacheHit: true }), // 0 spent, 3500 saved
      row({ model: 'qwen-local', provider: 'local', userId: 'ann', endpoint: 'chat', latencyMs: 3_600_000 }), // 28 W · 1 h · $0.15/kWh = 4200
    ]);
    const s = await api['costs.summary']({});
    expect(s.totals).toMatchObject({ requests: 5, costMicros: 3500 + 6000 + 210 + 4200, costUsd: '0.013910', cacheHits: 1, savedMicros: 3500, savedUsd: '0.003500' });
    const today = new Date(TODAY).toISOString().slice(0, 10);
    expect(s.byDayModel.filter((p) => p.day === today).map((p) => [p.model, p.requests, p.costMicros])).toEqual([
      ['gpt-4o', 3, 9500],
      ['qwen-local', 1, 4200],
    ]);
    expect(s.byProvider.map((p) => [p.provider, p.local, p.costMicros, p.requests])).toEqual([
      ['openai', false, 9710, 4],
      ['local', true, 4200, 1],
    ]);
    // a range that cuts the first day in half uses the raw rows for that edge: yesterday's row falls out
    const todayOnly = await api['costs.summary']({ since: TODAY, until: TODAY + DAY });
    expect(todayOnly.totals.costMicros).toBe(3500 + 6000 + 4200);

    const users = (await api['costs.byUser']({ limit: 1 })).users;
    expect(users).toEqual([expect.objectContaining({ userId: 'ann', requests: 4, costMicros: 3500 + 210 + 4200, costUsd: '0.007910' })]);

    const eps = (await api['costs.byEndpoint']({})).endpoints;
    expect(eps.map((e) => [e.endpoint, e.requests, e.costMicros, e.p95CostMicros])).toEqual([
      ['chat', 4, 3500 + 210 + 4200, 4200],
      ['extract', 1, 6000, 6000],
    ]);
    expect(eps[0]!.avgCostUsd).toBe('0.001978'); // 7910 / 4 = 1977.5 → half-up

    const top = (await api['costs.expensive']({ limit: 2 })).requests;
    expect(top.map((r) => [r.userId, r.costMicros, r.costUsd])).toEqual([
      ['bob', 6000, '0.006000'],
      ['ann', 4200, '0.004200'],
    ]);

    const csv = await api['costs.export']({ format: 'csv' });
    expect(csv.rows).toBe(5);
    expect(csv.filename).toMatch(/^hearth-costs-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toContain('total_cost_micros');
    const json = await api['costs.export']({ format: 'json', since: TODAY, until: TODAY + DAY });
    expect((JSON.parse(json.text) as unknown[]).length).toBe(4);
    await expect(api['costs.export']({ format: 'json', since: 10, until: 5 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('compares this month\'s local usage with the comparison models at today\'s prices', async () => {
    const r = await api['costs.localVsCloud']({});
    const monthTokens = r.local.promptTokens;
    expect(r.local.requests).toBeGreaterThanOrEqual(1);
    expect(r.local.costMicros).toBeGreaterThanOrEqual(4200);
    expect(r.power).toEqual({ watts: 28, usdPerKwh: 0.15 });
    const mini = r.comparisons.find((c) => c.model === 'gpt-4o-mini')!;
    // 0.15 $/1M in, 0.6 $/1M out
    const expected = Math.round((monthTokens * 150_000) / 1e6) + Math.round((r.local.completionTokens * 600_000) / 1e6);
    expect(mini).toMatchObject({ priced: true, costMicros: expected, savingsMicros: expected - r.local.costMicros });
    // a comparison model without a price says so instead of inventing a number
    expect(r.comparisons.find((c) => c.model === 'claude-3-5-sonnet-20241022')).toMatchObject({ priced: false, costMicros: null });
  });

  it('budgets: set with live spend, fire a costs.alert event, acknowledge, remove', async () => {
    const heard: EventPayload<'costs.alert'>[] = [];
    const off = api.on('costs.alert', (a) => heard.push(a));
    const b = await api['costs.budgets.set']({ scope: 'user', scopeId: 'carol', period: 'day', limitUsd: '0.01' });
    expect(b).toMatchObject({ limitMicros: 10_000, limitUsd: '0.010000', spentMicros: 0, usedPct: 0, exhausted: false });
    app.services.ledger.recordRequest(row({ model: 'gpt-4o', provider: 'openai', userId: 'carol', ts: Date.now(), promptTokens: 3600 })); // 9000 + 1000
    off();
    expect(heard.map((a) => [a.kind, a.scopeId, a.thresholdPct, a.spentUsd, a.limitUsd])).toEqual([
      ['budget', 'carol', 80, '0.010000', '0.010000'],
      ['budget', 'carol', 100, '0.010000', '0.010000'],
    ]);
    const list = (await api['costs.budgets.list']({})).budgets;
    expect(list).toEqual([expect.objectContaining({ scopeId: 'carol', spentMicros: 10_000, usedPct: 100, exhausted: true })]);
    const alerts = (await api['costs.alerts.list']({ openOnly: true })).alerts;
    expect(alerts.map((a) => a.thresholdPct)).toEqual([100, 80]); // newest first
    expect((await api['costs.alerts.acknowledge']({ ids: alerts.map((a) => a.id) })).acknowledged).toBe(2);
    expect((await api['costs.alerts.list']({ openOnly: true })).alerts).toEqual([]);
    expect((await api['costs.alerts.list']({})).alerts.every((a) => a.acknowledgedAt !== null)).toBe(true);
    await expect(api['costs.budgets.set']({ scope: 'user', scopeId: 'carol', period: 'day', limitUsd: '1.1234567' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await api['costs.budgets.remove']({ scope: 'user', scopeId: 'carol', period: 'day' })).toEqual({ removed: true });
    expect(await api['costs.budgets.remove']({ scope: 'user', scopeId: 'carol', period: 'day' })).toEqual({ removed: false });
  });

  it('the anomaly scan turns a spike into one alert and one costs.alert event', async () => {
    const ledger = app.services.ledger;
    const base = Date.now() - 30 * HOUR;
    const rows: LedgerRequestInput[] = [];
    for (let h = 0; h < 30; h++) rows.push(row({ model: 'gpt-4o-mini', provider: 'openai', userId: 'dave', ts: base + h * HOUR })); // 210 µ$/h
    rows.push(row({ model: 'gpt-4o', provider: 'openai', userId: 'dave', ts: base + 29 * HOUR + 1, promptTokens: 100_000 })); // spike
    ledger.recordMany(rows);
    const heard: EventPayload<'costs.alert'>[] = [];
    const off = api.on('costs.alert', (a) => heard.push(a));
    const fresh = app.services.costs.scanAnomalies().filter((a) => a.scopeId === 'dave');
    expect(fresh.map((a) => [a.kind, a.scopeId, a.periodStart])).toEqual([['anomaly', 'dave', Math.floor((base + 29 * HOUR) / HOUR) * HOUR]]);
    expect(app.services.costs.scanAnomalies()).toEqual([]); // stored once
    off();
    expect(heard.filter((a) => a.scopeId === 'dave').map((a) => [a.kind, a.id, a.limitUsd])).toEqual([['anomaly', fresh[0]!.id, null]]);
    // a range reaching back before the first request is clamped to it: a lone first hour is not an anomaly
    const fresh2 = await createApp({ dataDir: path.join(dir, 'fresh'), cpuOnly: true });
    try {
      fresh2.services.ledger.recordRequest(row({ model: 'gpt-4o', provider: 'openai', userId: 'erin', ts: Date.now() }));
      const api2 = createDirectClient(fresh2);
      expect((await api2['costs.anomalies']({ since: Date.now() - 30 * DAY })).anomalies).toEqual([]);
    } finally {
      await fresh2.dispose();
    }
    const anomalies = (await api['costs.anomalies']({ since: base })).anomalies;
    expect(anomalies.map((a) => a.userId)).toContain('dave');
    expect(anomalies.find((a) => a.userId === 'dave')!.z).toBeGreaterThan(3);
  });
});

describe('response cache channels', () => {
  it('costs.cacheStats reports entries, lookup counters and the ledger hit rate and savings; costs.clearCache empties it', async () => {
    const fresh = await createApp({ dataDir: path.join(dir, 'cache-stats'), cpuOnly: true });
    try {
      const api2 = createDirectClient(fresh);
      // exact-only, so no embedder is loaded by this test
      await api2['settings.update']({ cache: { semanticEnabled: false, semanticThreshold: 0.9, ttlHours: 24 } });
      const empty = await api2['costs.cacheStats']({});
      expect(empty).toEqual({
        entries: 0,
        lookups: { exactHits: 0, semanticHits: 0, misses: 0, semanticGuarded: 0, hitRate: 0 },
        ledger: { range: { since: null, until: null }, requests: 0, cacheHits: 0, hitRate: 0, savedMicros: 0, savedUsd: '0.000000' },
        semanticActive: false,
        embedderId: 'use-lite',
        lastSemanticError: null,
      });
      const cache = fresh.services.costs.cache;
      const req = (prompt: string) => ({ model: 'm', prompt, params: { maxTokens: 8, temperature: 0 } });
      const answer = { text: 'x', provider: 'local', model: 'm', promptTokens: 3, completionTokens: 1, finishReason: 'stop' as const };
      await cache.store(req('a'), answer);
      await cache.store(req('b'), answer);
      expect(await cache.lookup(req('a'))).not.toBeNull();
      expect(await cache.lookup(req('c'))).toBeNull();
      const ts = Date.now();
      fresh.services.ledger.recordMany([
        row({ model: 'gpt-4o-mini', provider: 'openai', ts }),
        row({ model: 'gpt-4o-mini', provider: 'openai', ts, cacheHit: true, savedMicros: 210 }),
        row({ model: 'gpt-4o-mini', provider: 'openai', ts, cacheHit: true, savedMicros: 90 }),
        row({ model: 'gpt-4o-mini', provider: 'openai', ts: ts - 40 * DAY }),
      ]);
      const stats = await api2['costs.cacheStats']({ since: ts - DAY });
      expect(stats.entries).toBe(2);
      expect(stats.lookups).toEqual({ exactHits: 1, semanticHits: 0, misses: 1, semanticGuarded: 0, hitRate: 0.5 });
      expect(stats.ledger).toEqual({ range: { since: ts - DAY, until: null }, requests: 3, cacheHits: 2, hitRate: 2 / 3, savedMicros: 300, savedUsd: '0.000300' });
      expect((await api2['costs.cacheStats']({})).ledger).toMatchObject({ requests: 4, cacheHits: 2, hitRate: 0.5 });
      // the threshold and switch in Settings show up here (the policy follows settings live)
      await api2['settings.update']({ cache: { semanticEnabled: true, semanticThreshold: 0.9, ttlHours: 24 } });
      expect((await api2['costs.cacheStats']({})).semanticActive).toBe(true);
      await api2['settings.update']({ cache: { semanticEnabled: false, semanticThreshold: 0.9, ttlHours: 24 } });

      expect(await api2['costs.clearCache']({})).toEqual({ removed: 2 });
      expect(await cache.lookup(req('a'))).toBeNull();
      const cleared = await api2['costs.cacheStats']({});
      expect(cleared.entries).toBe(0);
      expect(cleared.lookups.exactHits).toBe(1); // counters describe past lookups and stay
      expect(await api2['costs.clearCache']({})).toEqual({ removed: 0 });
      await expect(api2['costs.cacheStats']({ since: 5, until: 1 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    } finally {
      await fresh.dispose();
    }
  });
});
