import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerRequestInput } from './ledgerTypes.js';
import { LedgerStore } from './LedgerStore.js';
import { requestIdSql } from './requestIdKey.js';

const D = Date.UTC(2026, 10, 1);
const H = 3_600_000;
const DAY = 86_400_000;
// 1 µ$ per prompt token, 2 µ$ per completion token
const PRICES = { 'cloud-a': { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, litellm_provider: 'openai' } };

function row(ts: number, userId: string, endpoint: string, promptTokens: number, completionTokens: number, latencyMs: number): LedgerRequestInput {
  return { ts, userId, endpoint, provider: 'openai', model: 'cloud-a', promptTokens, completionTokens, latencyMs, status: 'ok' };
}

describe('LedgerAnalytics on a hand-built dataset', () => {
  let store: LedgerStore;
  beforeAll(async () => {
    store = await LedgerStore.open({ file: ':memory:', compareModels: ['cloud-a'] });
    store.importLiteLLM(PRICES, { validFrom: 0 });
    store.recordMany([
      row(D + 1 * H, 'u1', 'chat', 100, 50, 100), // 200 µ$
      row(D + 2 * H, 'u1', 'chat', 300, 100, 300), // 500
      row(D + 3 * H, 'u2', 'extract', 1000, 0, 50), // 1000
      row(D + DAY + 1 * H, 'u2', 'chat', 10, 10, 10), // 30
      row(D + DAY + 2 * H, 'u3', 'extract', 0, 1000, 1000), // 2000
    ]);
    // local: 28 W × 1 h = 4200 µ$; shadow on cloud-a = 1000 + 2000 = 3000 µ$
    store.recordRequest({ ts: D + 4 * H, userId: 'u1', endpoint: 'chat', provider: 'node-llama-cpp', model: 'qwen', promptTokens: 1000, completionTokens: 1000, latencyMs: H, status: 'ok' });
  });
  afterAll(() => store.dispose());

  it('by day and model', () => {
    const rows = store.analytics.byDayModel();
    expect(rows.map((r) => [r.day, r.model, r.requests, r.costMicros, r.promptTokens, r.completionTokens, r.avgLatencyMs])).toEqual([
      ['2026-11-01', 'cloud-a', 3, 1700, 1400, 150, 150],
      ['2026-11-01', 'qwen', 1, 4200, 1000, 1000, H],
      ['2026-11-02', 'cloud-a', 2, 2030, 10, 1010, 505],
    ]);
  });

  it('by user (top N)', () => {
    expect(store.analytics.byUser().map((r) => [r.userId, r.costMicros, r.requests])).toEqual([
      ['u1', 4900, 3],
      ['u3', 2000, 1],
      ['u2', 1030, 2],
    ]);
    expect(store.analytics.byUser({ limit: 1 }).map((r) => r.userId)).toEqual(['u1']);
  });

  it('by endpoint with mean and nearest-rank p95', () => {
    expect(store.analytics.byEndpoint().map((r) => [r.endpoint, r.requests, r.costMicros, r.avgCostMicros, r.p95CostMicros])).toEqual([
      ['chat', 4, 4930, 1232.5, 4200],
      ['extract', 2, 3000, 1500, 2000],
    ]);
  });

  it('most expensive requests', () => {
    expect(store.analytics.mostExpensive({ limit: 3 }).map((r) => r.totalCostMicros)).toEqual([4200, 2000, 1000]);
    expect(store.analytics.mostExpensive({ since: D + DAY }).map((r) => r.totalCostMicros)).toEqual([2000, 30]);
  });

  it('since/until filters cut at the exact millisecond', () => {
    const o = { since: D + 2 * H, until: D + DAY + 2 * H };
    expect(store.analytics.byDay(o).map((r) => [r.day, r.requests, r.costMicros])).toEqual([
      ['2026-11-01', 3, 5700],
      ['2026-11-02', 1, 30],
    ]);
    expect(store.analytics.byEndpoint(o).map((r) => [r.endpoint, r.p95CostMicros])).toEqual([
      ['chat', 4200],
      ['extract', 1000],
    ]);
  });

  it('local vs cloud savings', () => {
    expect(store.analytics.localVsCloud()).toEqual([
      { model: 'cloud-a', requests: 1, localCostMicros: 4200, cloudCostMicros: 3000, savingsMicros: -1200 },
    ]);
    expect(store.analytics.localVsCloud({ since: D + 5 * H })).toEqual([]);
  });

  it('exports RFC 4180 CSV and JSON', () => {
    store.recordRequest({ ts: D + 5 * H, requestId: 'q', userId: 'we,ird "user"\r\nx', endpoint: 'chat', provider: 'openai', model: 'cloud-a', promptTokens: 1, completionTokens: 0, latencyMs: 1, status: 'ok' });
    let csv = '';
    const n = store.exportRequests({ format: 'csv', since: D + 5 * H, until: D + 6 * H, write: (s) => (csv += s) });
    expect(n).toBe(1);
    const lines = csv.split('\r\n');
    expect(lines[0]!.startsWith('request_id,ts,user_id,')).toBe(true);
    expect(lines[1]).toBe(`q,${D + 5 * H},"we,ird ""user""`);
    expect(lines[2]!.startsWith('x",default,chat,openai,cloud-a,0,1,0,0,1,0,1,1,ok,,1,,0,,,,litellm@0')).toBe(true);
    let json = '';
    store.exportRequests({ format: 'json', write: (s) => (json += s) });
    const parsed = JSON.parse(json) as { request_id: string; user_id: string }[];
    expect(parsed).toHaveLength(7);
    expect(parsed.find((r) => r.request_id === 'q')!.user_id).toBe('we,ird "user"\r\nx');
  });
});

describe('hourly z-score anomalies', () => {
  it('flags a user hour above mean + k·sd, counting idle hours as 0, decided exactly', async () => {
    const store = await LedgerStore.open({ file: ':memory:' });
    store.importLiteLLM(PRICES, { validFrom: 0 });
    const rows: LedgerRequestInput[] = [];
    for (let h = 0; h < 48; h++) {
      rows.push(row(D + h * H, 'u1', 'chat', h === 30 ? 10_000 : 100, 0, 1)); // one spike
      rows.push(row(D + h * H + 5, 'u2', 'chat', 100, 0, 1)); // flat: sd 0, never anomalous
      if (h % 2 === 0) rows.push(row(D + h * H + 9, 'u3', 'chat', 100, 0, 1)); // alternating 100/0: z = 1
    }
    store.recordMany(rows);
    // a single spike among n equal hours has z = sqrt(n − 1) = sqrt(47) ≈ 6.856
    const a = store.analytics.anomalies();
    expect(a.map((r) => [r.userId, r.hourStart, r.spentMicros])).toEqual([['u1', D + 30 * H, 10_000]]);
    expect(a[0]!.z).toBeCloseTo(Math.sqrt(47), 9);
    expect(store.analytics.anomalies({ zThreshold: 6.85 })).toHaveLength(1);
    expect(store.analytics.anomalies({ zThreshold: 6.86 })).toHaveLength(0);
    expect(store.analytics.anomalies({ zThreshold: 0.99 }).filter((r) => r.userId === 'u3')).toHaveLength(24);
    expect(store.analytics.anomalies({ zThreshold: 1 }).filter((r) => r.userId === 'u3')).toHaveLength(0); // z = 1 is not > 1
    // idle hours count: extend the window by 48 empty hours and u3's hours stand out more
    expect(store.analytics.anomalies({ since: D, until: D + 96 * H, zThreshold: 1 }).filter((r) => r.userId === 'u3')).toHaveLength(24);
    // recorded once as alerts
    const heard: string[] = [];
    store.onAlert((al) => heard.push(al.scopeId));
    expect(store.scanAnomalies().newAlerts).toHaveLength(1);
    expect(store.scanAnomalies().newAlerts).toHaveLength(0);
    expect(heard).toEqual(['u1']);
    store.dispose();
  });
});

describe('anomalies beyond int64 squares', () => {
  it('falls back to BigInt sums when x² overflows SQLite integers', async () => {
    const store = await LedgerStore.open({ file: ':memory:' });
    store.importLiteLLM(PRICES, { validFrom: 0 });
    // 1 µ$/token: 4e9 µ$ ($4,000) per hour, squared 1.6e19 > 2^63
    store.recordMany(Array.from({ length: 24 }, (_, h) => row(D + h * H, 'whale', 'chat', h === 5 ? 40_000_000_000 : 4_000_000_000, 0, 1)));
    const a = store.analytics.anomalies();
    expect(a.map((r) => [r.userId, r.hourStart])).toEqual([['whale', D + 5 * H]]);
    expect(a[0]!.z).toBeCloseTo(Math.sqrt(23), 9);
    expect(store.analytics.anomalies({ source: 'raw' })).toEqual(a);
    store.dispose();
  });
});

describe('rollups equal the raw queries', () => {
  it('on random data and random ranges', async () => {
    const store = await LedgerStore.open({ file: ':memory:', compareModels: ['cloud-a', 'cloud-b'] });
    store.importLiteLLM({ ...PRICES, 'cloud-b': { input_cost_per_token: 3e-7, output_cost_per_token: 1.2e-6, cache_read_input_token_cost: 3e-8, litellm_provider: 'x' } }, { validFrom: 0 });
    const rows = fc.sample(
      fc.record({
        ts: fc.integer({ min: D, max: D + 10 * DAY }),
        userId: fc.constantFrom('u1', 'u2', 'u3', 'u4'),
        endpoint: fc.constantFrom('chat', 'extract', 'eval'),
        local: fc.boolean(),
        model: fc.constantFrom('cloud-a', 'cloud-b'),
        promptTokens: fc.integer({ min: 0, max: 50_000 }),
        completionTokens: fc.integer({ min: 0, max: 5_000 }),
        latencyMs: fc.integer({ min: 0, max: 120_000 }),
        cacheHit: fc.boolean(),
      }),
      { numRuns: 1500, seed: 7 },
    ).map((r): LedgerRequestInput => ({ ...r, provider: r.local ? 'local' : r.model === 'cloud-a' ? 'openai' : 'x', model: r.local ? 'qwen' : r.model, status: 'ok', cachedTokens: Math.floor(r.promptTokens / 3) }));
    for (let i = 0; i < rows.length; i += 100) store.recordMany(rows.slice(i, i + 100));
    const bound = fc.option(fc.oneof(fc.integer({ min: D - DAY, max: D + 11 * DAY }), fc.integer({ min: -1, max: 11 }).map((d) => D + d * DAY)), { nil: undefined });
    fc.assert(
      fc.property(bound, bound, (since, until) => {
        const o = { since, until };
        const raw = { ...o, source: 'raw' as const };
        expect(store.analytics.byDayModel(o)).toEqual(store.analytics.byDayModel(raw));
        expect(store.analytics.byModel(o)).toEqual(store.analytics.byModel(raw));
        expect(store.analytics.byUser(o)).toEqual(store.analytics.byUser(raw));
        expect(store.analytics.byEndpoint(o)).toEqual(store.analytics.byEndpoint(raw));
        expect(store.analytics.localVsCloud(o)).toEqual(store.analytics.localVsCloud(raw));
        expect(store.analytics.anomalies({ ...o, zThreshold: 2 })).toEqual(store.analytics.anomalies({ ...raw, zThreshold: 2 }));
        // ordered by the stored key: 16-byte blobs must sort like the uuid strings mostExpensive compares
        const naive = store.db.prepare(`SELECT ${requestIdSql('request_id')} AS requestId, total_cost_micros AS c FROM llm_requests WHERE ts >= ? AND ts < ?
          ORDER BY total_cost_micros DESC, ts DESC, request_id LIMIT 15`).all(since ?? -1e15, until ?? 1e15) as { requestId: string; c: number }[];
        expect(store.analytics.mostExpensive({ ...o, limit: 15 }).map((r) => [r.requestId, r.totalCostMicros])).toEqual(naive.map((r) => [r.requestId, r.c]));
      }),
      { numRuns: 60, seed: 11 },
    );
    // and the totals are what the rows say
    const total = store.analytics.byDay().reduce((s, r) => s + r.costMicros, 0);
    expect(total).toBe((store.db.prepare('SELECT SUM(total_cost_micros) s FROM llm_requests').get() as { s: number }).s);
    expect(store.analytics.byDay().reduce((s, r) => s + r.requests, 0)).toBe(1500);
    store.dispose();
  });
});
