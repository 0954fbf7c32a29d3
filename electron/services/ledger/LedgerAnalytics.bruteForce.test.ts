import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../shared/random/mulberry32.js';
import { CostBuckets } from './CostBuckets.js';
import type { TimeRange } from './ledgerTypes.js';
import type { LedgerRequestInput, LedgerRow } from './ledgerTypes.js';
import { LedgerAnalytics } from './LedgerAnalytics.js';
import { LedgerStore } from './LedgerStore.js';
import { LATEST_LEDGER_VERSION, migrateLedger } from './migrateLedger.js';

const DAY = 86_400_000;
const H = 3_600_000;
const D0 = Date.UTC(2026, 9, 1);
const PRICES = {
  'cloud-a': { input_cost_per_token: 2.5e-6, output_cost_per_token: 1e-5, cache_read_input_token_cost: 1.25e-6, litellm_provider: 'openai' },
  'cloud-b': { input_cost_per_token: 1.5e-7, output_cost_per_token: 6e-7, litellm_provider: 'openai' },
  'cloud-c': { input_cost_per_token: 3e-3, output_cost_per_token: 1.2e-2, litellm_provider: 'x' }, // huge costs: high buckets
};

/**
 * Seeded rows. `tieHeavy` draws tokens from a tiny set so many requests share a cost (p95 ties,
 * top-N ties at the cut); otherwise tokens are lognormal-ish. Some days are left empty.
 */
function makeRows(seed: number, n: number, tieHeavy: boolean): LedgerRequestInput[] {
  const rand = mulberry32(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const tokens = (max: number) => (tieHeavy ? pick([0, 1, 10, 100, 1000]) : Math.floor(Math.exp(rand() * Math.log(max + 1))));
  return Array.from({ length: n }, (): LedgerRequestInput => {
    const local = rand() < 0.25;
    let day = Math.floor(rand() * 12);
    if (day === 5) day = 6; // day 5 has no requests at all
    return {
      ts: D0 + day * DAY + Math.floor(rand() * DAY),
      userId: pick(['u1', 'u2', 'u3', 'u4', 'u5']),
      projectId: pick(['p1', 'p2']),
      endpoint: pick(['chat', 'extract', 'eval', 'rare']),
      provider: local ? 'local' : 'openai',
      model: local ? 'qwen' : pick(['cloud-a', 'cloud-b', 'cloud-c']),
      promptTokens: tokens(50_000),
      completionTokens: tokens(4_000),
      latencyMs: tieHeavy ? pick([0, 1000, 60_000]) : Math.floor(rand() * 120_000),
      status: 'ok',
      cacheHit: rand() < 0.1,
    };
  });
}

function readRows(db: Database.Database): LedgerRow[] {
  const rows = db.prepare(`SELECT request_id AS requestId, ts, user_id AS userId, endpoint, model, provider,
    total_cost_micros AS totalCostMicros, prompt_tokens AS promptTokens, completion_tokens AS completionTokens,
    latency_ms AS latencyMs, cache_hit AS cacheHit, saved_micros AS savedMicros FROM llm_requests`).all() as LedgerRow[];
  // v6 keeps shadow costs in a JSON column of the request row; earlier versions in their own table.
  const inline = db.prepare("SELECT 1 FROM pragma_table_info('llm_requests') WHERE name = 'shadow_costs'").get() !== undefined;
  const shadow = db.prepare(inline
    ? `SELECT r.request_id AS id, s.key AS model, s.value AS c FROM llm_requests r, json_each(r.shadow_costs) s ORDER BY 1, 2`
    : 'SELECT request_id AS id, model, total_cost_micros AS c FROM llm_request_shadow ORDER BY 1, 2').all() as { id: string; model: string; c: number }[];
  const byId = new Map(rows.map((r) => [r.requestId, { ...r, shadow: [] as LedgerRow['shadow'] }]));
  for (const s of shadow) byId.get(s.id)!.shadow.push({ model: s.model, totalCostMicros: s.c });
  return [...byId.values()];
}

const inRange = (rows: LedgerRow[], o: TimeRange) => rows.filter((r) => r.ts >= (o.since ?? -Infinity) && r.ts < (o.until ?? Infinity));
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The reports computed the slow, obvious way from the raw rows. */
function bruteForce(all: LedgerRow[], o: TimeRange) {
  const rows = inRange(all, o);
  const byEndpoint = new Map<string, number[]>();
  for (const r of rows) byEndpoint.set(r.endpoint, [...(byEndpoint.get(r.endpoint) ?? []), r.totalCostMicros]);
  const endpoints = [...byEndpoint].map(([endpoint, costs]) => {
    const sorted = [...costs].sort((a, b) => a - b);
    const sum = costs.reduce((s, c) => s + c, 0);
    return { endpoint, requests: costs.length, costMicros: sum, p95CostMicros: sorted[Math.ceil(0.95 * sorted.length) - 1]! };
  }).sort((a, b) => b.costMicros - a.costMicros || cmp(a.endpoint, b.endpoint));
  const top = (limit: number) => [...rows]
    .sort((a, b) => b.totalCostMicros - a.totalCostMicros || b.ts - a.ts || cmp(a.requestId, b.requestId))
    .slice(0, limit)
    .map((r) => [r.requestId, r.totalCostMicros]);
  const users = new Map<string, { requests: number; cost: number }>();
  const dayModel = new Map<string, { requests: number; cost: number; prompt: number; latency: number }>();
  const savings = new Map<string, { requests: number; local: number; cloud: number }>();
  let hits = 0;
  let saved = 0;
  for (const r of rows) {
    const u = users.get(r.userId) ?? { requests: 0, cost: 0 };
    u.requests++;
    u.cost += r.totalCostMicros;
    users.set(r.userId, u);
    const k = `${new Date(Math.floor(r.ts / DAY) * DAY).toISOString().slice(0, 10)}|${r.model}|${r.provider}`;
    const d = dayModel.get(k) ?? { requests: 0, cost: 0, prompt: 0, latency: 0 };
    d.requests++;
    d.cost += r.totalCostMicros;
    d.prompt += r.promptTokens;
    d.latency += r.latencyMs;
    dayModel.set(k, d);
    for (const s of r.shadow) {
      const v = savings.get(s.model) ?? { requests: 0, local: 0, cloud: 0 };
      v.requests++;
      v.local += r.totalCostMicros;
      v.cloud += s.totalCostMicros;
      savings.set(s.model, v);
    }
    if (r.cacheHit) {
      hits++;
      saved += r.savedMicros ?? 0;
    }
  }
  return {
    endpoints,
    top,
    users: [...users].map(([userId, v]) => ({ userId, ...v })).sort((a, b) => b.cost - a.cost || cmp(a.userId, b.userId)),
    dayModel: [...dayModel].map(([k, v]) => [k, v.requests, v.cost, v.prompt, v.latency]).sort((a, b) => cmp(String(a[0]), String(b[0]))),
    savings: [...savings].map(([model, v]) => ({ model, ...v })).sort((a, b) => b.cloud - b.local - (a.cloud - a.local) || cmp(a.model, b.model)),
    cache: { hits, savedMicros: saved },
  };
}

/** Ranges that matter: unbounded, whole days, partial-day edges, a single partial day, empty and inverted. */
function ranges(seed: number): TimeRange[] {
  const rand = mulberry32(seed * 7919);
  const out: TimeRange[] = [
    {},
    { since: D0 + 2 * DAY, until: D0 + 9 * DAY },
    { since: D0 + 2 * DAY + 5 * H + 17, until: D0 + 9 * DAY - 3 * H + 1 },
    { since: D0 + 3 * DAY + H, until: D0 + 3 * DAY + 20 * H }, // inside one day: raw only
    { since: D0 + 3 * DAY + 20 * H, until: D0 + 4 * DAY + 3 * H }, // no whole day, straddles a midnight
    { since: D0 + 5 * DAY, until: D0 + 6 * DAY }, // the empty day
    { since: D0 + 50 * DAY }, // after everything
    { until: D0 }, // before everything
    { since: D0 + 4 * DAY, until: D0 + 4 * DAY }, // empty
    { since: D0 + 8 * DAY, until: D0 + 3 * DAY }, // inverted
    { since: D0 + 7 * DAY + 1 },
    { until: D0 + 7 * DAY - 1 },
  ];
  for (let i = 0; i < 12; i++) {
    const a = D0 - DAY + Math.floor(rand() * 14 * DAY);
    const b = a + Math.floor(rand() * 6 * DAY);
    out.push(rand() < 0.3 ? { since: Math.floor(a / DAY) * DAY, until: Math.ceil(b / DAY) * DAY } : { since: a, until: b });
  }
  return out;
}

function expectMatchesBruteForce(store: LedgerStore, rows: LedgerRow[], o: TimeRange): void {
  const want = bruteForce(rows, o);
  const a = store.analytics;
  const label = JSON.stringify(o);
  expect(a.byEndpoint(o).map((r) => ({ endpoint: r.endpoint, requests: r.requests, costMicros: r.costMicros, p95CostMicros: r.p95CostMicros })), label)
    .toEqual(want.endpoints);
  for (const limit of [1, 7, 20, 500]) {
    expect(a.mostExpensive({ ...o, limit }).map((r) => [r.requestId, r.totalCostMicros]), `${label} top ${limit}`).toEqual(want.top(limit));
  }
  expect(a.byUser({ ...o, limit: 100 }).map((r) => ({ userId: r.userId, requests: r.requests, cost: r.costMicros })), label).toEqual(want.users);
  expect(a.byDayModel(o).map((r) => [`${r.day}|${r.model}|${r.provider}`, r.requests, r.costMicros, r.promptTokens, r.latencySumMs]), label)
    .toEqual(want.dayModel);
  expect(a.localVsCloud(o).map((r) => ({ model: r.model, requests: r.requests, local: r.localCostMicros, cloud: r.cloudCostMicros })), label)
    .toEqual(want.savings);
  expect(a.cacheSavings(o), label).toEqual(want.cache);
}

describe('rollup-backed analytics equal a brute-force computation over the raw rows', () => {
  for (const [seed, tieHeavy] of [[1, false], [2, true], [3, false], [4, true]] as const) {
    it(`seed ${seed}${tieHeavy ? ' (many equal costs)' : ''}`, async () => {
      const store = await LedgerStore.open({ file: ':memory:', compareModels: ['cloud-a', 'cloud-b'] });
      try {
        store.importLiteLLM(PRICES, { validFrom: 0 });
        const input = makeRows(seed, 1200, tieHeavy);
        for (let i = 0; i < input.length; i += 97) store.recordMany(input.slice(i, i + 97)); // batches straddle days
        const rows = readRows(store.db);
        expect(rows).toHaveLength(1200);
        if (tieHeavy) {
          // the data really has ties: the p95 cost of some endpoint is shared by several requests
          const costs = inRange(rows, {}).filter((r) => r.endpoint === 'chat').map((r) => r.totalCostMicros);
          const p95 = bruteForce(rows, {}).endpoints.find((e) => e.endpoint === 'chat')!.p95CostMicros;
          expect(costs.filter((c) => c === p95).length).toBeGreaterThan(1);
        }
        for (const o of ranges(seed)) expectMatchesBruteForce(store, rows, o);
      } finally {
        store.dispose();
      }
    });
  }

  it('p95 of one request, of ties only, and of costs in the same bucket are exact', async () => {
    const store = await LedgerStore.open({ file: ':memory:' });
    try {
      store.importLiteLLM({ unit: { input_cost_per_token: 1e-6, output_cost_per_token: 0, litellm_provider: 'openai' } }, { validFrom: 0 });
      const rec = (endpoint: string, promptTokens: number, ts = D0 + H) =>
        ({ ts, endpoint, provider: 'openai', model: 'unit', promptTokens, completionTokens: 0, latencyMs: 1, status: 'ok' }) as const;
      // 1000..1019 all fall in bucket [896, 1023], so the rank is resolved by the exact read of that bucket
      store.recordMany([rec('one', 777), ...Array.from({ length: 20 }, (_, i) => rec('same-bucket', 1000 + i, D0 + i * H)),
        ...Array.from({ length: 19 }, (_, i) => rec('ties', 5000, D0 + i * 2 * H)), rec('ties', 9000, D0 + DAY + 1)]);
      expect(CostBuckets.bounds(CostBuckets.of(1000))).toEqual({ lo: 896, hi: 1023 });
      expect(CostBuckets.of(1019)).toBe(CostBuckets.of(1000));
      const p = Object.fromEntries(store.analytics.byEndpoint().map((r) => [r.endpoint, r.p95CostMicros]));
      // nearest rank ceil(0.95·20) = 19: 1018 of 1000..1019; 5000 of nineteen 5000s and one 9000
      expect(p).toEqual({ one: 777, 'same-bucket': 1018, ties: 5000 });
      for (const since of [D0 + H, D0 + 30 * H]) {
        const o = { since, until: D0 + 2 * DAY };
        expect(store.analytics.byEndpoint(o)).toEqual(store.analytics.byEndpoint({ ...o, source: 'raw' }));
      }
    } finally {
      store.dispose();
    }
  });
});

describe('migration v5 backfills the cost-bucket rollup from a v4 database', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-v4-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('upgrades in place; the reports then equal the brute force and the rollup equals a recount', async () => {
    // Price rows the way the app does, in a scratch store, then write them into a genuine v2→v4 file.
    const scratch = await LedgerStore.open({ file: ':memory:', compareModels: ['cloud-a'] });
    scratch.importLiteLLM(PRICES, { validFrom: 0 });
    const priced = makeRows(9, 900, false).map((r) => scratch.price(r));
    scratch.dispose();
    const file = join(dir, 'ledger.sqlite');
    const db = new Database(file);
    migrateLedger(db, 2);
    const ins = db.prepare(`INSERT INTO llm_requests (request_id, ts, user_id, project_id, endpoint, provider, model, is_local, prompt_tokens,
      completion_tokens, cached_tokens, prompt_cost_micros, completion_cost_micros, total_cost_micros, latency_ms, status, cache_hit)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insShadow = db.prepare('INSERT INTO llm_request_shadow (request_id, model, total_cost_micros) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (const r of priced) {
        ins.run(r.requestId, r.ts, r.userId, r.projectId, r.endpoint, r.provider, r.model, r.isLocal ? 1 : 0, r.promptTokens, r.completionTokens,
          r.cachedTokens, r.promptCostMicros, r.completionCostMicros, r.totalCostMicros, r.latencyMs, r.status, r.cacheHit ? 1 : 0);
        for (const s of r.shadow) insShadow.run(r.requestId, s.model, s.totalCostMicros);
      }
    })();
    expect(migrateLedger(db, 4)).toEqual([3, 4]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'llm_requests_endpoint_cost'").get()).toBeDefined();
    db.close();

    const store = await LedgerStore.open({ file, compareModels: ['cloud-a'] });
    try {
      expect(store.db.prepare("SELECT name FROM sqlite_master WHERE name = 'llm_requests_endpoint_cost'").get()).toBeUndefined();
      const recount = store.db.prepare(`SELECT ts / ${DAY} AS day, endpoint, total_cost_micros AS c FROM llm_requests`).all() as { day: number; endpoint: string; c: number }[];
      const want = new Map<string, number>();
      for (const r of recount) {
        const k = `${r.day}|${r.endpoint}|${CostBuckets.of(r.c)}`;
        want.set(k, (want.get(k) ?? 0) + 1);
      }
      const got = store.db.prepare(`SELECT h.day, h.endpoint, CAST(j.key AS INTEGER) AS bucket, j.value AS requests
        FROM rollup_day_endpoint_hist h, json_each(h.counts) j`).all() as { day: number; endpoint: string; bucket: number; requests: number }[];
      expect(new Map(got.map((g) => [`${g.day}|${g.endpoint}|${g.bucket}`, g.requests]))).toEqual(want);
      const rows = readRows(store.db);
      for (const o of ranges(9)) expectMatchesBruteForce(store, rows, o);
      // and new writes after the upgrade keep it exact
      const more = makeRows(10, 300, true);
      store.recordMany(more);
      const rows2 = readRows(store.db);
      expect(rows2).toHaveLength(1200);
      for (const o of ranges(10).slice(0, 8)) expectMatchesBruteForce(store, rows2, o);
    } finally {
      store.dispose();
    }
  });
});

describe('migration v6 (shadow costs inline, no ts index) upgrades a v5 database with rows', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-v5-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Every report over every test range, as plain data. `withShadowEdges: false` leaves out localVsCloud on partial-day ranges. */
  function allReports(a: LedgerAnalytics, withShadowEdges: boolean, source: 'auto' | 'raw' = 'auto'): unknown[] {
    const out: unknown[] = [];
    for (const range of [...ranges(12), { since: D0 + 2 * DAY, until: D0 + 6 * DAY }]) {
      const o = { ...range, source };
      const wholeDays = (o.since === undefined || o.since % DAY === 0) && (o.until === undefined || o.until % DAY === 0);
      out.push(range, a.byDayModel(o), a.byModel(o), a.byDay(o), a.byUser({ ...o, limit: 100 }), a.byEndpoint(o),
        a.mostExpensive({ ...o, limit: 25 }), a.anomalies({ ...o, zThreshold: 1.5 }), a.cacheSavings(o));
      out.push(withShadowEdges || wholeDays ? a.localVsCloud(o) : 'skipped');
    }
    return out;
  }

  const rollupTables = ['rollup_day_model', 'rollup_day_user', 'rollup_day_project', 'rollup_day_endpoint', 'rollup_hour_user',
    'rollup_day_shadow'];
  /** The rollups as rows; bucket counts as (day, endpoint, bucket, requests) whether v5's table or v7's JSON rows hold them. */
  const dumpRollups = (db: Database.Database) => {
    const v5 = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'rollup_day_endpoint_bucket'").get() !== undefined;
    const buckets = db.prepare(v5
      ? 'SELECT day, endpoint, bucket, requests FROM rollup_day_endpoint_bucket ORDER BY 1, 2, 3'
      : `SELECT h.day, h.endpoint, CAST(j.key AS INTEGER) AS bucket, j.value AS requests FROM rollup_day_endpoint_hist h,
          json_each(h.counts) j ORDER BY 1, 2, 3`).all();
    return [...rollupTables.map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all()), buckets];
  };

  it('keeps every row, shadow cost and rollup; every report is equal before and after', async () => {
    const scratch = await LedgerStore.open({ file: ':memory:', compareModels: ['cloud-a', 'cloud-b'] });
    scratch.importLiteLLM(PRICES, { validFrom: 0 });
    const priced = [...makeRows(12, 900, false), ...makeRows(13, 300, true)].map((r) => scratch.price(r));
    scratch.dispose();
    expect(priced.filter((r) => r.shadow.length === 2).length).toBeGreaterThan(100);
    const file = join(dir, 'ledger.sqlite');
    const db = new Database(file);
    migrateLedger(db, 2);
    const ins = db.prepare(`INSERT INTO llm_requests (request_id, ts, user_id, project_id, endpoint, provider, model, is_local, prompt_tokens,
      completion_tokens, cached_tokens, prompt_cost_micros, completion_cost_micros, total_cost_micros, latency_ms, status, error_code, attempt,
      parent_request_id, cache_hit, grammar_hash, schema_hash, energy_mwh, pricing_version)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insShadow = db.prepare('INSERT INTO llm_request_shadow (request_id, model, total_cost_micros) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (const r of priced) {
        ins.run(r.requestId, r.ts, r.userId, r.projectId, r.endpoint, r.provider, r.model, r.isLocal ? 1 : 0, r.promptTokens, r.completionTokens,
          r.cachedTokens, r.promptCostMicros, r.completionCostMicros, r.totalCostMicros, r.latencyMs, r.status, r.errorCode, r.attempt,
          r.parentRequestId, r.cacheHit ? 1 : 0, r.grammarHash, r.schemaHash, r.energyMwh, r.pricingVersion);
        for (const sh of r.shadow) insShadow.run(r.requestId, sh.model, sh.totalCostMicros);
      }
    })();
    expect(migrateLedger(db, 5)).toEqual([3, 4, 5]);
    // v4 adds saved_micros after the fact; give the cache hits a value so it is carried over too
    db.prepare('UPDATE llm_requests SET saved_micros = prompt_tokens + 1 WHERE cache_hit = 1').run();
    db.exec(`DELETE FROM rollup_day_model; INSERT INTO rollup_day_model SELECT ts / ${DAY}, model, provider, COUNT(*), SUM(prompt_tokens),
      SUM(completion_tokens), SUM(cached_tokens), SUM(total_cost_micros), SUM(latency_ms), SUM(cache_hit), COALESCE(SUM(saved_micros), 0)
      FROM llm_requests GROUP BY 1, 2, 3`);
    const rowsBefore = readRows(db);
    const fullBefore = db.prepare('SELECT * FROM llm_requests ORDER BY request_id').all();
    const rollupsBefore = dumpRollups(db);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name IN ('llm_request_shadow', 'llm_requests_ts')").get()).toEqual({ n: 2 });
    db.close();

    const store = await LedgerStore.open({ file, compareModels: ['cloud-a', 'cloud-b'] });
    try {
      expect(store.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: LATEST_LEDGER_VERSION });
      expect(store.db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name IN ('llm_request_shadow', 'llm_requests_ts')").get()).toEqual({ n: 0 });
      const rowsAfter = readRows(store.db);
      expect(rowsAfter).toEqual(rowsBefore);
      // v7: the rows sit in llm_requests_data (names as ids, uuids as blobs); the llm_requests view spells them back,
      // so the upgraded file reads the same, column by column (plus the view's rowid)
      const fullAfter = (store.db.prepare('SELECT * FROM llm_requests ORDER BY request_id').all() as Record<string, unknown>[])
        .map(({ shadow_costs: _s, rowid: _r, ...rest }) => rest);
      expect(store.db.prepare("SELECT COUNT(*) AS n FROM llm_requests_data WHERE typeof(request_id) = 'blob'").get()).toEqual({ n: 1200 });
      expect(fullAfter).toEqual(fullBefore);
      expect(dumpRollups(store.db)).toEqual(rollupsBefore);
      // The reports cannot run on the v5 file any more (since v7 they read llm_requests_data); the rollups are
      // unchanged (above), and after the upgrade the rollup-backed reports equal the raw ones and the brute force (below).
      expect(allReports(store.analytics, false)).toEqual(allReports(store.analytics, false, 'raw'));
      for (const r of priced.filter((p) => p.shadow.length > 0).slice(0, 20)) {
        expect(store.getRequest(r.requestId)!.shadow).toEqual([...r.shadow].sort((x, y) => cmp(x.model, y.model)));
      }
      for (const o of ranges(12)) expectMatchesBruteForce(store, rowsAfter, o);
      // new writes after the upgrade stay exact, partial-day shadow reads included
      store.recordMany(makeRows(14, 400, false));
      const rows2 = readRows(store.db);
      expect(rows2).toHaveLength(1600);
      for (const o of ranges(14)) expectMatchesBruteForce(store, rows2, o);
    } finally {
      store.dispose();
    }
  });
});

describe('query plans', () => {
  it('no report on the rollup path scans llm_requests whole', async () => {
    const store = await LedgerStore.open({ file: ':memory:', compareModels: ['cloud-a'] });
    try {
      store.importLiteLLM(PRICES, { validFrom: 0 });
      store.recordMany(makeRows(21, 400, false));
      const a = store.analytics;
      for (const o of [{}, { since: D0 + 2 * DAY + 5 * H, until: D0 + 9 * DAY - H }]) {
        a.byDayModel(o);
        a.byModel(o);
        a.byDay(o);
        a.byUser(o);
        a.byEndpoint(o);
        a.mostExpensive(o);
        a.anomalies(o);
        a.cacheSavings(o);
        a.localVsCloud(o);
      }
      const plans = a.explainPlans();
      expect(plans.length).toBeGreaterThan(10);
      expect(plans.filter((p) => p.plan.some((d) => /^SCAN llm_requests(_data)?\b/.test(d)))).toEqual([]);
      // the exact steps really seek the day/endpoint/cost index
      expect(plans.filter((p) => p.plan.some((d) => d.includes('INDEX llm_requests_day_endpoint_cost (<expr>=? AND endpoint_ref=?'))).length).toBe(2);
      // for contrast, a filter no index serves is reported as a scan (so the check above can fail)
      const scan = store.db.prepare('EXPLAIN QUERY PLAN SELECT COUNT(*) FROM llm_requests WHERE latency_ms > 5').all() as { detail: string }[];
      expect(scan.some((r) => /^SCAN llm_requests_data\b/.test(r.detail))).toBe(true);
    } finally {
      store.dispose();
    }
  });
});
