import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { createLedgerMetrics } from './createLedgerMetrics.js';
import { LedgerStorageError } from './LedgerStorageError.js';
import { LedgerStore } from './LedgerStore.js';
import { LATEST_LEDGER_VERSION, migrateLedger } from './migrateLedger.js';

const PRICES = {
  'cloud-a': { input_cost_per_token: 2.5e-6, output_cost_per_token: 1e-5, cache_read_input_token_cost: 1.25e-6, litellm_provider: 'openai' },
  'cloud-b': { input_cost_per_token: 1.5e-7, output_cost_per_token: 6e-7, litellm_provider: 'openai' },
};
const T = Date.UTC(2026, 10, 1, 12);

describe('LedgerStore', () => {
  let dir: string;
  let store: LedgerStore | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-'));
  });
  afterEach(() => {
    store?.dispose();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens in WAL mode with synchronous=NORMAL at the latest schema; dispose is idempotent', async () => {
    store = await LedgerStore.open({ dataDir: dir });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect((store.db.prepare('SELECT MAX(version) v FROM schema_migrations').get() as { v: number }).v).toBe(LATEST_LEDGER_VERSION);
    store.dispose();
    store.dispose();
    expect(() => store!.recordRequest({ endpoint: 'chat', provider: 'openai', model: 'x', promptTokens: 0, completionTokens: 0, latencyMs: 0, status: 'ok' })).toThrow(AppError);
    store = undefined;
  });

  it('records cloud, local (with energy and shadow costs), cache-hit and unpriced requests', async () => {
    store = await LedgerStore.open({ dataDir: dir, compareModels: ['cloud-a', 'cloud-b', 'not-priced'] });
    store.importLiteLLM(PRICES, { validFrom: 0 });
    const cloud = store.recordRequest({ ts: T, userId: 'u1', endpoint: 'chat', provider: 'openai', model: 'cloud-a', promptTokens: 1000, completionTokens: 500, cachedTokens: 200, latencyMs: 800, status: 'ok', grammarHash: 'g1' });
    expect(cloud).toMatchObject({ promptCostMicros: 2250, completionCostMicros: 5000, totalCostMicros: 7500 - 250, pricingVersion: 'litellm@0', isLocal: false, energyMwh: null });
    const local = store.recordRequest({ ts: T, endpoint: 'extract', provider: 'node-llama-cpp', model: 'qwen', promptTokens: 1000, completionTokens: 500, latencyMs: 3_600_000, status: 'ok' });
    expect(local).toMatchObject({ isLocal: true, energyMwh: 28_000, totalCostMicros: 4200, completionCostMicros: 4200, promptCostMicros: 0 });
    expect(local.shadow).toEqual([
      { model: 'cloud-a', totalCostMicros: 7500 },
      { model: 'cloud-b', totalCostMicros: 450 },
    ]);
    const hit = store.recordRequest({ ts: T, endpoint: 'chat', provider: 'openai', model: 'cloud-a', promptTokens: 1000, completionTokens: 500, latencyMs: 1, status: 'ok', cacheHit: true });
    expect(hit).toMatchObject({ totalCostMicros: 0, cacheHit: true, shadow: [], savedMicros: 7500 }); // priced by the ledger at ts
    const localHit = store.recordRequest({ ts: T, endpoint: 'chat', provider: 'node-llama-cpp', model: 'qwen', promptTokens: 10, completionTokens: 5, latencyMs: 1, status: 'ok', cacheHit: true, savedMicros: 42 });
    expect(localHit).toMatchObject({ totalCostMicros: 0, energyMwh: 0, savedMicros: 42 });
    expect(store.analytics.cacheSavings()).toEqual({ hits: 2, savedMicros: 7542 });
    expect(store.analytics.cacheSavings({ since: T - 5, until: T + 5 })).toEqual(store.analytics.cacheSavings({ source: 'raw' }));
    expect(store.getRequest(localHit.requestId)).toEqual(localHit);
    const unpriced = store.recordRequest({ ts: T, endpoint: 'chat', provider: 'mystery', model: 'nope', promptTokens: 5, completionTokens: 5, latencyMs: 1, status: 'error', errorCode: 'PROVIDER_ERROR', attempt: 2, parentRequestId: cloud.requestId });
    expect(unpriced).toMatchObject({ totalCostMicros: 0, pricingVersion: null });
    expect(store.count()).toBe(5);
    expect(store.getRequest(local.requestId)).toEqual(local);
    expect(store.getRequest(unpriced.requestId)).toEqual(unpriced);
    expect(store.getRequest(cloud.requestId)).toEqual(cloud);
  });

  it('shadow costs round-trip through the JSON column for any model name, and a duplicated compare model counts once', async () => {
    const names = ['we"ird\\model', '__proto__', '10', 'zz', 'a\u2028b'];
    store = await LedgerStore.open({ dataDir: dir, compareModels: [...names, 'zz'] });
    for (const [i, model] of names.entries()) {
      store.prices.setPrice({ model, provider: 'x', inputPer1M: 1_000_000 * (i + 1), outputPer1M: 0, cachedInputPer1M: null, validFrom: 0, source: 't' });
    }
    const local = store.recordRequest({ ts: T, endpoint: 'extract', provider: 'node-llama-cpp', model: 'qwen', promptTokens: 7, completionTokens: 1, latencyMs: 10, status: 'ok' });
    expect(local.shadow.map((x) => x.model).sort()).toEqual([...names].sort());
    const want = names.map((model, i) => ({ model, totalCostMicros: 7 * (i + 1) })).sort((a, b) => (a.model < b.model ? -1 : 1));
    expect(store.getRequest(local.requestId)!.shadow).toEqual(want);
    expect(store.analytics.localVsCloud().map((r) => [r.model, r.cloudCostMicros]).sort()).toEqual(want.map((w) => [w.model, w.totalCostMicros]).sort());
    expect(store.analytics.localVsCloud({ since: T - 5, until: T + 5 })).toEqual(store.analytics.localVsCloud({ source: 'raw' }));
  });

  it('without a ts index, time bounds and ranged exports stay exact (midnights, fractional bounds, out-of-order writes)', async () => {
    store = await LedgerStore.open({ dataDir: dir });
    expect(store.timeBounds()).toBeNull();
    const D = 86_400_000;
    const day0 = Math.floor(T / D) * D;
    const times = [day0 + D, day0 - 1, day0, day0 + 2 * D - 1, day0 + D - 1, day0 + 5, day0 + D + 7, day0 - D + 3];
    const base = { endpoint: 'chat', provider: 'local', model: 'm', promptTokens: 1, completionTokens: 1, latencyMs: 1, status: 'ok' as const };
    store.recordMany(times.map((ts, i) => ({ ...base, ts, requestId: `id${i}` })));
    expect(store.timeBounds()).toEqual({ first: day0 - D + 3, last: day0 + 2 * D - 1 });
    for (const [since, until] of [[day0 - 0.5, day0 + D + 0.5], [day0 - 1, day0 + D], [day0 + 0.25, day0 + D - 0.75], [undefined, day0], [day0 + D, undefined]] as const) {
      let out = '';
      store.exportRequests({ format: 'ndjson', since, until, write: (c) => (out += c) });
      const got = out.trim().split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { request_id: string; ts: number }).ts);
      const want = times.filter((t) => t >= (since ?? -Infinity) && t < (until ?? Infinity)).sort((a, b) => a - b);
      expect(got, `${since}..${until}`).toEqual(want);
    }
  });

  it('recordMany is all-or-nothing', async () => {
    store = await LedgerStore.open({ dataDir: dir });
    const ok = { ts: T, endpoint: 'chat', provider: 'local', model: 'm', promptTokens: 1, completionTokens: 1, latencyMs: 1, status: 'ok' as const };
    store.recordMany([{ ...ok, requestId: 'a' }]);
    expect(() => store!.recordMany([{ ...ok, requestId: 'b' }, { ...ok, requestId: 'a' }])).toThrow(/UNIQUE/);
    expect(store.count()).toBe(1);
    expect(store.getRequest('b')).toBeUndefined();
    expect(store.analytics.byDay()[0]!.requests).toBe(1); // rollups rolled back too
  });

  it('upgrades a v1 database, keeping rows and backfilling rollups', async () => {
    const file = join(dir, 'ledger.sqlite');
    const db = new Database(file);
    expect(migrateLedger(db, 1)).toEqual([1]);
    const ins = db.prepare(`INSERT INTO llm_requests (request_id, ts, user_id, project_id, endpoint, provider, model, prompt_tokens,
      completion_tokens, prompt_cost_micros, completion_cost_micros, total_cost_micros, latency_ms, status)
      VALUES (?, ?, 'u', 'p', 'chat', 'openai', 'm', 10, 20, 1, 2, 3, ?, 'ok')`);
    for (let i = 0; i < 5; i++) ins.run(`r${i}`, T + i * 86_400_000, 100 + i);
    db.close();
    store = await LedgerStore.open({ dataDir: dir });
    expect((store.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(store.count()).toBe(5);
    const days = store.analytics.byDay();
    expect(days.map((d) => d.costMicros)).toEqual([3, 3, 3, 3, 3]);
    expect(days.map((d) => d.latencySumMs)).toEqual([100, 101, 102, 103, 104]);
    expect(store.analytics.byDay()).toEqual(store.analytics.byDay({ source: 'raw' }));
    // reopening does not re-run anything
    store.dispose();
    store = await LedgerStore.open({ dataDir: dir });
    expect(migrateLedger(store.db)).toEqual([]);
  });

  it('refuses a database from a newer app version', async () => {
    const db = new Database(join(dir, 'ledger.sqlite'));
    migrateLedger(db);
    db.prepare('INSERT INTO schema_migrations VALUES (99, ?, 0)').run('future');
    db.close();
    await expect(LedgerStore.open({ dataDir: dir })).rejects.toThrow(/newer/);
  });

  it('maps a full disk to a retryable DISK_FULL error and keeps committed rows', async () => {
    store = await LedgerStore.open({ dataDir: dir });
    const base = { endpoint: 'chat', provider: 'local', model: 'm', promptTokens: 1, completionTokens: 1, latencyMs: 1, status: 'ok' as const, grammarHash: 'x'.repeat(500) };
    store.recordMany(Array.from({ length: 50 }, (_, i) => ({ ...base, ts: T + i })));
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages + 2}`);
    let err: unknown;
    for (let i = 0; i < 100 && err === undefined; i++) {
      try {
        store.recordMany(Array.from({ length: 20 }, (_, j) => ({ ...base, ts: T + 1000 + i * 20 + j })));
      } catch (e) {
        err = e;
      }
    }
    expect(err).toBeInstanceOf(LedgerStorageError);
    expect((err as LedgerStorageError).code).toBe('DISK_FULL');
    expect((err as LedgerStorageError).retryable).toBe(true);
    const committed = store.count();
    expect(committed).toBeGreaterThanOrEqual(50);
    expect(committed % 10).toBe(0); // whole batches only (50 + k·20)
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    store.db.pragma('max_page_count = 1073741823');
    store.recordRequest({ ...base, ts: T + 99_999 });
    expect(store.count()).toBe(committed + 1);
  });

  it('track() records ok, error and cancelled outcomes and rethrows the original error', async () => {
    store = await LedgerStore.open({ dataDir: dir });
    store.importLiteLLM(PRICES, { validFrom: 0 });
    const meta = { endpoint: 'chat', provider: 'openai', model: 'cloud-b', userId: 'u1' };
    const v = await store.track(meta, async ({ requestId }) => ({ value: requestId, usage: { promptTokens: 1000, completionTokens: 1000 } }));
    expect(store.getRequest(v)).toMatchObject({ status: 'ok', totalCostMicros: 750, attempt: 1 });
    const boom = new AppError('PROVIDER_UNAVAILABLE', 'down');
    await expect(store.track({ ...meta, requestId: 'e1', promptTokensOnError: 10 }, async () => { throw boom; })).rejects.toBe(boom);
    expect(store.getRequest('e1')).toMatchObject({ status: 'error', errorCode: 'PROVIDER_UNAVAILABLE', promptTokens: 10 });
    const abort = new DOMException('stop', 'AbortError');
    await expect(store.track({ ...meta, requestId: 'c1', attempt: 2, parentRequestId: 'e1' }, async () => { throw abort; })).rejects.toBe(abort);
    expect(store.getRequest('c1')).toMatchObject({ status: 'cancelled', errorCode: 'AbortError', attempt: 2, parentRequestId: 'e1' });
    // budget pre-flight stops the call before it runs
    store.setBudget({ scope: 'user', scopeId: 'u1', period: 'day', limitUsd: '0.001' });
    let ran = false;
    await expect(store.track({ ...meta, budget: { promptTokens: 1000, maxCompletionTokens: 1000 } }, async () => {
      ran = true;
      return { value: 1, usage: { promptTokens: 1, completionTokens: 1 } };
    })).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
    expect(ran).toBe(false);
  });

  it('track() write-behind: groups commits, flushes at the end of the turn, and keeps rows when the disk is full', async () => {
    store = await LedgerStore.open({ dataDir: dir });
    const meta = { endpoint: 'chat', provider: 'local', model: 'q', grammarHash: 'y'.repeat(400) };
    const call = async () => ({ value: 1, usage: { promptTokens: 5, completionTokens: 5, cacheHit: true } });
    for (let i = 0; i < 10; i++) await store.track(meta, call);
    const raw = () => (store!.db.prepare('SELECT COUNT(*) n FROM llm_requests').get() as { n: number }).n;
    expect(raw()).toBe(0); // still queued: same event-loop turn
    await new Promise((r) => setImmediate(r));
    expect(raw()).toBe(10);
    for (let i = 0; i < 300; i++) await store.track(meta, call);
    expect(raw()).toBe(266); // one group of 256 committed inline
    await new Promise((r) => setImmediate(r));
    expect(raw()).toBe(310);

    store.db.pragma(`max_page_count = ${store.db.pragma('page_count', { simple: true }) as number}`);
    let thrown: unknown;
    for (let round = 0; round < 50 && thrown === undefined; round++) {
      try {
        for (let i = 0; i < 20; i++) await store.track(meta, call);
        await new Promise((r) => setImmediate(r));
      } catch (e) {
        thrown = e;
      }
    }
    expect(thrown).toBeInstanceOf(LedgerStorageError);
    expect((thrown as LedgerStorageError).code).toBe('DISK_FULL');
    const committed = raw();
    store.db.pragma('max_page_count = 1073741823');
    const flushed = store.flush();
    expect(flushed).toBeGreaterThan(0);
    expect(raw()).toBe(committed + flushed);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('updates Prometheus metrics on record', async () => {
    const registry = new Registry();
    store = await LedgerStore.open({ dataDir: dir, metrics: createLedgerMetrics(registry), compareModels: ['cloud-a'] });
    store.importLiteLLM(PRICES, { validFrom: 0 });
    store.recordRequest({ ts: T, endpoint: 'chat', provider: 'openai', model: 'cloud-a', promptTokens: 1000, completionTokens: 500, latencyMs: 800, status: 'ok' });
    store.recordRequest({ ts: T, endpoint: 'chat', provider: 'local', model: 'qwen', promptTokens: 1000, completionTokens: 500, latencyMs: 3_600_000, status: 'error' });
    const text = await registry.metrics();
    expect(text).toContain('hearth_llm_requests_total{provider="openai",model="cloud-a",endpoint="chat",status="ok",cache="miss"} 1');
    expect(text).toContain('hearth_llm_tokens_total{provider="openai",model="cloud-a",type="completion"} 500');
    expect(text).toContain('hearth_llm_cost_usd_total{provider="openai",model="cloud-a",type="completion"} 0.005');
    expect(text).toContain('hearth_llm_cost_usd_total{provider="local",model="qwen",type="shadow:cloud-a"} 0.0075');
    expect(text).toContain('hearth_llm_energy_wh_total{model="qwen"} 28');
    expect(text).toContain('hearth_llm_request_latency_seconds_count{provider="local",model="qwen",status="error"} 1');
    expect(text).toContain('hearth_llm_request_cost_usd_bucket{le="0.01",provider="openai",model="cloud-a"} 1');
    await store.track({ endpoint: 'chat', provider: 'local', model: 'qwen' }, async () => ({ value: 0, usage: { promptTokens: 1, completionTokens: 1 } }));
    expect(await store.metricsText()).toContain('hearth_ledger_pending_rows 1');
    store.flush();
    expect(await store.metricsText()).toContain('hearth_ledger_pending_rows 0');
  });
});
