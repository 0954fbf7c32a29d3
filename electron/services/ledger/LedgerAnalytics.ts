import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import { CostBuckets } from './CostBuckets.js';
import { Micros } from './Micros.js';
import { RollupMismatchError } from './RollupMismatchError.js';
import type { LedgerRow, TimeRange } from './ledgerTypes.js';
import { LedgerNames } from './LedgerNames.js';
import { requestIdSql } from './requestIdKey.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MIN_TS = -8_640_000_000_000_000;
const MAX_TS = 8_640_000_000_000_000;

/**
 * `auto` (default) answers from the daily rollups for whole UTC days inside the range and from
 * `llm_requests` for the partial days at its edges — exactly equal to `raw`, which scans the
 * request table only (kept for verification and for the tests that prove the equality).
 */
export type AnalyticsSource = 'auto' | 'raw';
export interface AnalyticsOptions extends TimeRange {
  source?: AnalyticsSource;
}

/** Additive figures every grouped report carries. `avgLatencyMs` = latencySumMs / requests. */
export interface Totals {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  costMicros: number;
  latencySumMs: number;
  avgLatencyMs: number;
}

export interface DayModelRow extends Totals {
  /** UTC date, YYYY-MM-DD. */
  day: string;
  model: string;
  provider: string;
}
export interface UserRow extends Totals {
  userId: string;
}
export interface EndpointRow extends Totals {
  endpoint: string;
  /** costMicros / requests (a float: a mean of exact integers). */
  avgCostMicros: number;
  /** Nearest-rank 95th percentile of per-request cost: an actual request's exact cost. */
  p95CostMicros: number;
}
/** The columns of a ledger row that the most-expensive report shows. */
export type ExpensiveRow = Pick<
  LedgerRow,
  'requestId' | 'ts' | 'userId' | 'projectId' | 'endpoint' | 'provider' | 'model' | 'promptTokens' | 'completionTokens' | 'totalCostMicros' | 'status'
>;
export interface AnomalyRow {
  userId: string;
  /** Start of the UTC hour, ms. */
  hourStart: number;
  spentMicros: number;
  meanMicros: number;
  stddevMicros: number;
  z: number;
}
export interface SavingsRow {
  /** The cloud model the local requests are compared with. */
  model: string;
  requests: number;
  localCostMicros: number;
  cloudCostMicros: number;
  /** cloud − local; negative when local was the more expensive choice. */
  savingsMicros: number;
}

interface RawTotals {
  requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  cost_micros: number;
  latency_sum_ms: number;
}

/** The `llm_requests_data` id column behind each name a report groups by (migration v7). */
const REF_COLUMN: Readonly<Record<string, string>> = {
  user_id: 'user_ref', project_id: 'project_ref', endpoint: 'endpoint_ref', model: 'model_ref', provider: 'provider_ref',
};

const SUMS = `COUNT(*) AS requests, SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens,
  SUM(cached_tokens) AS cached_tokens, SUM(total_cost_micros) AS cost_micros, SUM(latency_ms) AS latency_sum_ms`;
const ROLLED = `SUM(requests) AS requests, SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens,
  SUM(cached_tokens) AS cached_tokens, SUM(cost_micros) AS cost_micros, SUM(latency_sum_ms) AS latency_sum_ms`;

/** Splits [since, until) into whole UTC days (for rollups) and raw ts segments at the edges. */
function splitRange(since: number | undefined, until: number | undefined): {
  days: [number, number] | null;
  raw: [number, number][];
} {
  const s = since ?? MIN_TS;
  const u = until ?? MAX_TS;
  if (u <= s) return { days: null, raw: [] };
  const d0 = since === undefined ? Math.floor(MIN_TS / DAY_MS) : Math.ceil(s / DAY_MS);
  const d1 = until === undefined ? Math.ceil(MAX_TS / DAY_MS) : Math.floor(u / DAY_MS);
  if (d0 >= d1) return { days: null, raw: [[s, u]] };
  const raw: [number, number][] = [];
  if (since !== undefined && s < d0 * DAY_MS) raw.push([s, d0 * DAY_MS]);
  if (until !== undefined && d1 * DAY_MS < u) raw.push([d1 * DAY_MS, u]);
  return { days: [d0, d1], raw };
}

function toTotals(r: RawTotals): Totals {
  return {
    requests: r.requests,
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    cachedTokens: r.cached_tokens,
    costMicros: r.cost_micros,
    latencySumMs: r.latency_sum_ms,
    avgLatencyMs: r.requests === 0 ? 0 : r.latency_sum_ms / r.requests,
  };
}

function addInto(a: RawTotals, b: RawTotals): void {
  a.requests += b.requests;
  a.prompt_tokens += b.prompt_tokens;
  a.completion_tokens += b.completion_tokens;
  a.cached_tokens += b.cached_tokens;
  a.cost_micros += b.cost_micros;
  a.latency_sum_ms += b.latency_sum_ms;
}

const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

type Grouped<K extends string> = RawTotals & Record<K, string | number>;

/**
 * Read-only reports over the ledger. Every figure is an exact integer sum computed by SQLite
 * through prepared statements; means are derived from those sums in one place so the rollup and
 * raw paths agree to the last bit. Days and hours are UTC.
 */
export class LedgerAnalytics {
  private readonly stmts = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** Names behind `ledger_names` ids (never renumbered, so caching them is safe across writes). */
  private readonly names = new Map<number, string>();

  private nameOf(id: number): string {
    let name = this.names.get(id);
    if (name === undefined) {
      name = this.stmt('SELECT name FROM ledger_names WHERE id = ?').pluck().get(id) as string | undefined;
      if (name === undefined) {
        throw new AppError('INTERNAL', `The ledger refers to name #${id}, which ledger_names lacks: the file was edited outside Hearth.`, { details: { id } });
      }
      this.names.set(id, name);
    }
    return name;
  }

  /**
   * Runs multi-statement reads in one read transaction: the bucket counts and the exact reads then
   * see the same WAL snapshot even while another connection (the CLI, a second window) commits.
   * Inside a caller's transaction it nests as a savepoint.
   */
  private snapshot<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * `EXPLAIN QUERY PLAN` of every statement this instance has prepared so far (run the reports
   * first). The bench prints the ones that scan `llm_requests` whole: on the `auto` path there
   * must be none.
   */
  explainPlans(): { sql: string; plan: string[] }[] {
    return [...this.stmts.keys()].map((sql) => {
      // The plan does not depend on the values: bind zeros to every positional or named parameter.
      const names = [...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!);
      const params = names.length > 0 ? [Object.fromEntries(names.map((n) => [n, 0]))] : (sql.match(/\?/g) ?? []).map(() => 0);
      const rows = this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
      return { sql: sql.replace(/\s+/g, ' ').trim(), plan: rows.map((r) => r.detail) };
    });
  }

  /**
   * Runs a grouped additive query over the range: rollup table for whole days, raw for edges
   * (or raw throughout), merged by `keys`.
   */
  private grouped<K extends string>(
    o: AnalyticsOptions,
    keys: readonly K[],
    rawSelect: string,
    rollupTable: string,
    rollupSelect: string,
  ): Grouped<K>[] {
    const source = o.source ?? 'auto';
    const parts: Grouped<K>[][] = [];
    const groupBy = keys.map((_, i) => i + 1).join(', ');
    const rawSql = `SELECT ${rawSelect}, ${SUMS} FROM llm_requests WHERE ts >= ? AND ts < ? GROUP BY ${groupBy}`;
    // Edges group the stored ids (no name lookup per row) and name the few groups afterwards; the raw
    // path stays on the view, so comparing the two also checks the ids against the names.
    const named = keys.filter((k) => k !== 'day');
    const edgeSelect = keys.map((k) => (k === 'day' ? `ts / ${DAY_MS} AS day` : `${REF_COLUMN[k]} AS ${k}`)).join(', ');
    const edgeSql = `SELECT ${edgeSelect}, ${SUMS} FROM llm_requests_data WHERE ${EDGE_WHERE} GROUP BY ${groupBy}`;
    if (source === 'raw') {
      parts.push(this.stmt(rawSql).all(o.since ?? MIN_TS, o.until ?? MAX_TS) as Grouped<K>[]);
    } else {
      const { days, raw } = splitRange(o.since, o.until);
      if (days !== null) {
        parts.push(
          this.stmt(`SELECT ${rollupSelect}, ${ROLLED} FROM ${rollupTable} WHERE day >= ? AND day < ? GROUP BY ${groupBy}`).all(
            days[0],
            days[1],
          ) as Grouped<K>[],
        );
      }
      for (const [a, b] of raw) {
        const part = this.stmt(edgeSql).all(...edgeArgs(a, b)) as Grouped<K>[];
        for (const r of part) for (const k of named) (r as Record<string, unknown>)[k] = this.nameOf(r[k] as number);
        parts.push(part);
      }
    }
    if (parts.length === 1) return parts[0]!;
    const merged = new Map<string, Grouped<K>>();
    for (const part of parts) {
      for (const r of part) {
        const k = keys.map((key) => String(r[key])).join('\0');
        const m = merged.get(k);
        if (m === undefined) merged.set(k, { ...r });
        else addInto(m, r);
      }
    }
    return [...merged.values()];
  }

  /** Cost, tokens, requests and mean latency per UTC day and model, oldest day first. */
  byDayModel(o: AnalyticsOptions = {}): DayModelRow[] {
    const rows = this.grouped(o, ['day', 'model', 'provider'] as const, `ts / ${DAY_MS} AS day, model, provider`,
      'rollup_day_model', 'day, model, provider');
    return rows
      .map((r) => ({ day: isoDay(r.day as number), model: String(r.model), provider: String(r.provider), ...toTotals(r) }))
      .sort((a, b) => (a.day === b.day ? (a.model === b.model ? cmp(a.provider, b.provider) : cmp(a.model, b.model)) : cmp(a.day, b.day)));
  }

  /** Per-model totals over the range, most expensive first. */
  byModel(o: AnalyticsOptions = {}): (Totals & { model: string; provider: string })[] {
    const rows = this.grouped(o, ['model', 'provider'] as const, 'model, provider', 'rollup_day_model', 'model, provider');
    return rows
      .map((r) => ({ model: String(r.model), provider: String(r.provider), ...toTotals(r) }))
      .sort((a, b) => b.costMicros - a.costMicros || cmp(a.model, b.model) || cmp(a.provider, b.provider));
  }

  /** Totals per UTC day (all models). */
  byDay(o: AnalyticsOptions = {}): (Totals & { day: string })[] {
    const rows = this.grouped(o, ['day'] as const, `ts / ${DAY_MS} AS day`, 'rollup_day_model', 'day');
    return rows.map((r) => ({ day: isoDay(r.day as number), ...toTotals(r) })).sort((a, b) => cmp(a.day, b.day));
  }

  /** Top `limit` (default 10) users by cost. Ties broken by user id. */
  byUser(o: AnalyticsOptions & { limit?: number } = {}): UserRow[] {
    const rows = this.grouped(o, ['user_id'] as const, 'user_id', 'rollup_day_user', 'user_id');
    return rows
      .map((r) => ({ userId: String(r.user_id), ...toTotals(r) }))
      .sort((a, b) => b.costMicros - a.costMicros || cmp(a.userId, b.userId))
      .slice(0, o.limit ?? 10);
  }

  /**
   * Per endpoint: totals, mean and nearest-rank p95 cost per request. `auto`: the rank is located
   * in the daily cost-bucket rollup (plus the raw rows of partial edge days), then only the one
   * bucket holding it is read exactly from the (day, endpoint, cost) index — a few thousand
   * index entries at 1M rows instead of a sort. `raw`: ORDER BY over the request table.
   */
  byEndpoint(o: AnalyticsOptions = {}): EndpointRow[] {
    return this.snapshot(() => this.byEndpointIn(o));
  }

  private byEndpointIn(o: AnalyticsOptions): EndpointRow[] {
    const rows = this.grouped(o, ['endpoint'] as const, 'endpoint', 'rollup_day_endpoint', 'endpoint');
    const auto = (o.source ?? 'auto') === 'auto';
    const hist = auto ? this.costHistogram(o) : undefined;
    return rows
      .map((r) => {
        const t = toTotals(r);
        const endpoint = String(r.endpoint);
        const rank = Math.ceil((95 * t.requests) / 100); // nearest-rank, 1-based from the cheapest
        const fromTop = t.requests - rank + 1; // 1-based from the most expensive
        let p95: number;
        if (hist !== undefined) p95 = this.kthLargest(hist, endpoint, fromTop);
        else {
          const rawP95 = this.stmt(`SELECT total_cost_micros AS c FROM llm_requests WHERE endpoint = ? AND ts >= ? AND ts < ?
            ORDER BY total_cost_micros DESC LIMIT 1 OFFSET ?`);
          const hit = rawP95.get(endpoint, o.since ?? MIN_TS, o.until ?? MAX_TS, fromTop - 1) as { c: number } | undefined;
          if (hit === undefined) throw new RollupMismatchError(endpoint, NaN, t.requests, 0);
          p95 = hit.c;
        }
        return { endpoint, ...t, avgCostMicros: t.requests === 0 ? 0 : t.costMicros / t.requests, p95CostMicros: p95 };
      })
      .sort((a, b) => b.costMicros - a.costMicros || cmp(a.endpoint, b.endpoint));
  }

  /**
   * Cost-bucket counts per endpoint over the range: whole UTC days from `rollup_day_endpoint_hist`
   * (one JSON row of bucket counts per day and endpoint, migration v7; the days holding each bucket
   * are kept for the exact step's seeks), partial edge days bucketed here from their raw costs,
   * which are kept too.
   */
  private costHistogram(o: TimeRange): CostHistogram {
    const { days, raw } = splitRange(o.since, o.until);
    const counts = new Map<string, Map<number, number>>();
    const bump = (e: string, b: number, n: number) => {
      let m = counts.get(e);
      if (m === undefined) counts.set(e, (m = new Map()));
      m.set(b, (m.get(b) ?? 0) + n);
    };
    const bucketDays = new Map<string, Map<number, number[]>>();
    if (days !== null) {
      const sql = 'SELECT day, endpoint AS e, counts FROM rollup_day_endpoint_hist WHERE day >= ? AND day < ?';
      for (const r of this.stmt(sql).iterate(days[0], days[1]) as Iterable<{ day: number; e: string; counts: string }>) {
        let byBucket = bucketDays.get(r.e);
        if (byBucket === undefined) bucketDays.set(r.e, (byBucket = new Map()));
        for (const [key, n] of Object.entries(JSON.parse(r.counts) as Record<string, number>)) {
          const b = Number(key);
          bump(r.e, b, n);
          let list = byBucket.get(b);
          if (list === undefined) byBucket.set(b, (list = []));
          list.push(r.day); // ascending: rows come in (day, endpoint) key order
        }
      }
    }
    const edgeCosts = new Map<string, number[]>();
    // Covered by the (day, endpoint, cost, ts) index: one seek per edge day, no table lookups.
    const edgeSql = this.stmt(`SELECT endpoint_ref AS e, total_cost_micros AS c FROM llm_requests_data INDEXED BY llm_requests_day_endpoint_cost
      WHERE ts / ${DAY_MS} = ? AND ts >= ? AND ts < ?`);
    for (const [a, b, day] of edgeDays(raw)) {
      for (const r of edgeSql.all(day, a, b) as { e: number; c: number }[]) {
        const e = this.nameOf(r.e);
        bump(e, CostBuckets.of(r.c), 1);
        let list = edgeCosts.get(e);
        if (list === undefined) edgeCosts.set(e, (list = []));
        list.push(r.c);
      }
    }
    return { days, raw, counts, bucketDays, edgeCosts };
  }

  /** The exact `k`-th largest cost (1-based) of one endpoint over the histogram's range. */
  private kthLargest(h: CostHistogram, endpoint: string, k: number): number {
    const where = locateRank(h.counts.get(endpoint), k);
    if (where === undefined) throw new RollupMismatchError(endpoint, NaN, k, 0);
    const { lo, hi } = CostBuckets.bounds(where.bucket);
    const costs: number[] = [];
    if (h.days !== null) {
      // One index seek per day that has costs in this bucket (see migration v5). A join or an IN
      // subquery lets the planner scan the whole index instead; INDEXED BY makes that a prepare error.
      const days = h.bucketDays.get(endpoint)?.get(where.bucket) ?? [];
      const inBucket = this.stmt(`SELECT total_cost_micros FROM llm_requests_data INDEXED BY llm_requests_day_endpoint_cost
        WHERE ts / ${DAY_MS} = ? AND endpoint_ref = ${LedgerNames.idSql()} AND total_cost_micros BETWEEN ? AND ?`).pluck();
      for (const day of days) {
        for (const c of inBucket.all(day, endpoint, lo, hi) as number[]) costs.push(c); // no spread: a bucket can be huge
      }
    }
    for (const c of h.edgeCosts.get(endpoint) ?? []) if (c >= lo && c <= hi) costs.push(c);
    const expected = h.counts.get(endpoint)!.get(where.bucket)!;
    if (costs.length !== expected) throw new RollupMismatchError(endpoint, where.bucket, expected, costs.length);
    costs.sort((a, b) => b - a);
    return costs[where.within - 1]!;
  }

  /**
   * The `limit` (default 20) most expensive requests, ties by newer time then id. `auto`: the
   * cost-bucket rollup gives the lowest bucket that still holds a top-`limit` cost; only the days
   * and endpoints with costs at or above its floor are read (one index seek each, plus the edge
   * days), then merged — exact, ties included, since every row at or above the floor is a candidate.
   */
  mostExpensive(o: AnalyticsOptions & { limit?: number } = {}): ExpensiveRow[] {
    return this.snapshot(() => this.mostExpensiveIn(o));
  }

  private mostExpensiveIn(o: AnalyticsOptions & { limit?: number }): ExpensiveRow[] {
    const limit = o.limit ?? 20;
    if (limit <= 0) return [];
    const n = LedgerNames.sql;
    const cols = `${requestIdSql('request_id')} AS requestId, ts, ${n('user_ref')} AS userId, ${n('project_ref')} AS projectId,
        ${n('endpoint_ref')} AS endpoint, ${n('provider_ref')} AS provider, ${n('model_ref')} AS model, prompt_tokens AS promptTokens,
        completion_tokens AS completionTokens, total_cost_micros AS totalCostMicros, status`;
    if ((o.source ?? 'auto') === 'raw') {
      return this.stmt(`SELECT ${cols} FROM llm_requests_data WHERE ts >= ? AND ts < ?
        ORDER BY total_cost_micros DESC, ts DESC, requestId LIMIT ?`).all(o.since ?? MIN_TS, o.until ?? MAX_TS, limit) as ExpensiveRow[];
    }
    const h = this.costHistogram(o);
    const overall = new Map<number, number>();
    for (const m of h.counts.values()) for (const [b, n] of m) overall.set(b, (overall.get(b) ?? 0) + n);
    const where = locateRank(overall, limit);
    // Fewer than `limit` requests in the range: every one is a candidate.
    const floorBucket = where === undefined ? -1 : where.bucket;
    const floor = CostBuckets.bounds(floorBucket).lo;
    const all: ExpensiveRow[] = [];
    if (h.days !== null) {
      // Per day and endpoint, the top `limit` at or above the floor: bounded even when one bucket
      // holds most requests (e.g. thousands of equal costs), since SQLite's sorter keeps only `limit`.
      const top = this.stmt(`SELECT ${cols} FROM llm_requests_data INDEXED BY llm_requests_day_endpoint_cost
        WHERE ts / ${DAY_MS} = ? AND endpoint_ref = ${LedgerNames.idSql()} AND total_cost_micros >= ?
        ORDER BY total_cost_micros DESC, ts DESC, requestId LIMIT ?`);
      for (const e of h.counts.keys()) {
        const days = new Set<number>();
        for (const [b, list] of h.bucketDays.get(e) ?? []) if (b >= floorBucket) for (const day of list) days.add(day);
        for (const day of days) {
          for (const r of top.all(day, e, floor, limit) as ExpensiveRow[]) all.push(r);
        }
      }
    }
    // Edge days: cost and ts are filtered inside the index; only rows at or above the floor are fetched.
    const edge = this.stmt(`SELECT ${cols} FROM llm_requests_data INDEXED BY llm_requests_day_endpoint_cost
      WHERE ts / ${DAY_MS} = ? AND ts >= ? AND ts < ? AND total_cost_micros >= ?
      ORDER BY total_cost_micros DESC, ts DESC, requestId LIMIT ?`);
    for (const [a, b, day] of edgeDays(h.raw)) for (const r of edge.all(day, a, b, floor, limit) as ExpensiveRow[]) all.push(r);
    return all
      .sort((a, b) => b.totalCostMicros - a.totalCostMicros || b.ts - a.ts || cmp(a.requestId, b.requestId))
      .slice(0, limit);
  }

  /**
   * Time of the oldest and newest stored request, or null when the ledger is empty. There is no ts
   * index (migration v6): the first and last day come from `rollup_day_model` (every request adds to
   * its day's row, in the same transaction), then that one day is read from the (ts / day, …) index.
   */
  timeBounds(): { first: number; last: number } | null {
    const r = this.stmt(`SELECT
      (SELECT MIN(ts) FROM llm_requests_data WHERE ts / ${DAY_MS} = (SELECT MIN(day) FROM rollup_day_model)) AS first,
      (SELECT MAX(ts) FROM llm_requests_data WHERE ts / ${DAY_MS} = (SELECT MAX(day) FROM rollup_day_model)) AS last`).get() as {
      first: number | null;
      last: number | null;
    };
    return r.first === null || r.last === null ? null : { first: r.first, last: r.last };
  }

  /**
   * Hours in which a user's spend sits more than `zThreshold` (default 3) population standard
   * deviations above that user's hourly mean. The window is snapped outward to whole UTC hours;
   * with no bounds it spans the first to the last hour with any request. Hours without requests
   * count as 0 spend (a user idle most of the day and busy for one hour IS the anomaly). The
   * comparison z > k is decided exactly in integers: (n·x − S) > 0 and (n·x − S)² > k²(n·Q − S²);
   * `z`, mean and stddev are reported as floats for display.
   */
  anomalies(o: AnalyticsOptions & { zThreshold?: number } = {}): AnomalyRow[] {
    const source = o.source ?? 'auto';
    const bounds = source === 'raw'
      ? (this.stmt('SELECT MIN(ts) AS first, MAX(ts) AS last FROM llm_requests').get() as { first: number | null; last: number | null })
      : this.timeBounds();
    if (bounds === null || bounds.first === null || bounds.last === null) return [];
    const h0 = Math.floor((o.since ?? bounds.first) / HOUR_MS);
    const h1 = o.until === undefined ? Math.floor(bounds.last / HOUR_MS) + 1 : Math.ceil(o.until / HOUR_MS);
    if (h1 <= h0) return [];
    // Buckets (user, hour, spend) come from the hourly rollup or, for `raw`, from the request table.
    const bucketSql =
      source === 'raw'
        ? `SELECT user_id AS u, ts / ${HOUR_MS} AS h, SUM(total_cost_micros) AS c FROM llm_requests
            WHERE ts >= @h0 * ${HOUR_MS} AND ts < @h1 * ${HOUR_MS} GROUP BY 1, 2`
        : 'SELECT user_id AS u, hour AS h, cost_micros AS c FROM rollup_hour_user WHERE hour >= @h0 AND hour < @h1';
    // Pass 1 in SQL: S = Σx and Q = Σx² per user (integers; BigInt so nothing rounds past 2^53).
    let stats: { u: string; s: bigint; q: bigint }[];
    try {
      stats = (this.stmt(`SELECT u, SUM(c) AS s, SUM(c * c) AS q FROM (${bucketSql}) GROUP BY u`) as Database.Statement<
        [{ h0: number; h1: number }], { u: string; s: bigint; q: bigint }>).safeIntegers(true).all({ h0, h1 });
      // x·x past int64 becomes a REAL in SQLite: not exact any more, so take the BigInt path.
      if (stats.some((r) => typeof r.q !== 'bigint' || typeof r.s !== 'bigint')) throw new RangeError('integer overflow');
    } catch (e) {
      // Σx² overflowed int64 (a user above ~$3,000/hour): redo the sums in BigInt from the buckets.
      if (!(e instanceof Error && /integer overflow/i.test(e.message))) throw e;
      const acc = new Map<string, { u: string; s: bigint; q: bigint }>();
      for (const b of (this.stmt(bucketSql) as Database.Statement<[{ h0: number; h1: number }], { u: string; h: bigint; c: bigint }>)
        .safeIntegers(true).iterate({ h0, h1 })) {
        const a = acc.get(b.u) ?? { u: b.u, s: 0n, q: 0n };
        a.s += b.c;
        a.q += b.c * b.c;
        acc.set(b.u, a);
      }
      stats = [...acc.values()];
    }
    const n = BigInt(h1 - h0);
    const k = Micros.parseScaled(String(o.zThreshold ?? 3), 6).value; // k × 1e6
    const candidates = this.stmt(`SELECT h, c FROM (${bucketSql}) WHERE u = @u AND c >= @floor ORDER BY h`) as Database.Statement<
      [{ h0: number; h1: number; u: string; floor: number }], { h: number; c: number }>;
    const out: AnomalyRow[] = [];
    for (const { u: userId, s: S, q: Q } of stats) {
      const varNum = n * Q - S * S; // n² · variance
      if (varNum <= 0n) continue;
      const mean = Number(S) / Number(n);
      const sd = Math.sqrt(Number(varNum)) / Number(n);
      // Pass 2: only hours near or above mean + k·sd (float bound with slack), then decide exactly.
      const floor = Math.max(0, Math.floor((mean + (Number(k) / 1e6) * sd) * (1 - 1e-9)) - 1);
      for (const b of candidates.all({ h0, h1, u: userId, floor })) {
        const d = n * BigInt(b.c) - S; // n · (x − mean)
        if (d <= 0n) continue;
        if (d * d * 1_000_000_000_000n <= k * k * varNum) continue;
        out.push({ userId, hourStart: b.h * HOUR_MS, spentMicros: b.c, meanMicros: mean, stddevMicros: sd, z: (b.c - mean) / sd });
      }
    }
    return out.sort((a, b) => a.hourStart - b.hourStart || cmp(a.userId, b.userId));
  }

  /**
   * Response-cache hits in the range and what they saved (the cost the misses would have had,
   * exact where the model was priced). Whole days from the daily model rollup, edges raw.
   */
  cacheSavings(o: AnalyticsOptions = {}): { hits: number; savedMicros: number } {
    const rawSql = `SELECT COUNT(*) AS hits, COALESCE(SUM(saved_micros), 0) AS saved FROM llm_requests
      WHERE cache_hit = 1 AND ts >= ? AND ts < ?`;
    const edgeSql = `SELECT COUNT(*) AS hits, COALESCE(SUM(saved_micros), 0) AS saved FROM llm_requests
      WHERE cache_hit = 1 AND ${EDGE_WHERE}`;
    const out = { hits: 0, savedMicros: 0 };
    const add = (r: { hits: number | null; saved: number | null }) => {
      out.hits += r.hits ?? 0;
      out.savedMicros += r.saved ?? 0;
    };
    if ((o.source ?? 'auto') === 'raw') {
      add(this.stmt(rawSql).get(o.since ?? MIN_TS, o.until ?? MAX_TS) as { hits: number; saved: number });
      return out;
    }
    const { days, raw } = splitRange(o.since, o.until);
    if (days !== null) {
      add(this.stmt(`SELECT SUM(cache_hits) AS hits, SUM(saved_micros) AS saved FROM rollup_day_model WHERE day >= ? AND day < ?`)
        .get(days[0], days[1]) as { hits: number | null; saved: number | null });
    }
    for (const [a, b] of raw) add(this.stmt(edgeSql).get(...edgeArgs(a, b)) as { hits: number; saved: number });
    return out;
  }

  /**
   * What local requests cost (energy + amortisation) versus what the same tokens would have
   * cost on each comparison model at the price then in force. One row per comparison model.
   */
  localVsCloud(o: AnalyticsOptions = {}): SavingsRow[] {
    type R = { model: string; requests: number; local: number; cloud: number };
    const source = o.source ?? 'auto';
    // Shadow costs are a JSON object column (migration v6): json_each yields one (model, µ$) per comparison model.
    const shadowSql = (where: string) => `SELECT s.key AS model, COUNT(*) AS requests, SUM(r.total_cost_micros) AS local,
      SUM(s.value) AS cloud FROM llm_requests AS r, json_each(r.shadow_costs) AS s WHERE r.shadow_costs IS NOT NULL AND ${where} GROUP BY 1`;
    const rawSql = shadowSql('r.ts >= ? AND r.ts < ?');
    const edgeSql = shadowSql(`r.${EDGE_WHERE}`);
    const parts: R[][] = [];
    if (source === 'raw') parts.push(this.stmt(rawSql).all(o.since ?? MIN_TS, o.until ?? MAX_TS) as R[]);
    else {
      const { days, raw } = splitRange(o.since, o.until);
      if (days !== null) {
        parts.push(this.stmt(`SELECT model, SUM(requests) AS requests, SUM(local_cost_micros) AS local,
          SUM(shadow_cost_micros) AS cloud FROM rollup_day_shadow WHERE day >= ? AND day < ? GROUP BY 1`).all(days[0], days[1]) as R[]);
      }
      for (const [a, b] of raw) parts.push(this.stmt(edgeSql).all(...edgeArgs(a, b)) as R[]);
    }
    const m = new Map<string, R>();
    for (const p of parts) {
      for (const r of p) {
        const e = m.get(r.model);
        if (e === undefined) m.set(r.model, { ...r });
        else {
          e.requests += r.requests;
          e.local += r.local;
          e.cloud += r.cloud;
        }
      }
    }
    return [...m.values()]
      .map((r) => ({ model: r.model, requests: r.requests, localCostMicros: r.local, cloudCostMicros: r.cloud, savingsMicros: r.cloud - r.local }))
      .sort((a, b) => b.savingsMicros - a.savingsMicros || cmp(a.model, b.model));
  }
}

/**
 * Time filter of the partial-day edge reads (there is no ts index since migration v6): the day
 * bounds let SQLite range-scan the (ts / day, endpoint, cost, ts) index, ts decides exactly, all
 * inside the index; the IN list is then walked in rowid order, so the table reads are sequential
 * (rows were written in time order) instead of one seek per row in endpoint/cost order. Measured on a
 * 17-hour edge (~8k rows at the 1M-row bench's density, loaded host): 19 ms read straight through the
 * index, 15 ms this way; the v5 ts index did it in ~10 ms — the price of dropping it (see migration v6).
 * Bind with {@link edgeArgs}.
 */
const EDGE_WHERE = `rowid IN (SELECT rowid FROM llm_requests_data WHERE ts / ${DAY_MS} BETWEEN ? AND ? AND ts >= ? AND ts < ?)`;

/** Parameters of {@link EDGE_WHERE} for [a, b): the days of the first and last integer ts in it (bounds may be fractional). */
function edgeArgs(a: number, b: number): [number, number, number, number] {
  return [Math.floor(a / DAY_MS), Math.ceil(b / DAY_MS) - 1, a, b];
}

/** Bucket counts for a range by endpoint, and the raw costs of its partial edge days. */
interface CostHistogram {
  days: [number, number] | null;
  raw: [number, number][];
  counts: Map<string, Map<number, number>>;
  /** Whole days only: endpoint → bucket → the days (ascending) whose rollup counts that bucket. */
  bucketDays: Map<string, Map<number, number[]>>;
  edgeCosts: Map<string, number[]>;
}

/**
 * Raw segments cut at UTC midnights, each with its day: `splitRange` edges lie inside one day, but
 * a range with no whole day in it can straddle one midnight.
 */
function edgeDays(raw: [number, number][]): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (const [a, b] of raw) {
    for (let day = Math.floor(a / DAY_MS); day * DAY_MS < b; day++) {
      out.push([Math.max(a, day * DAY_MS), Math.min(b, (day + 1) * DAY_MS), day]);
    }
  }
  return out;
}

/** Walks bucket counts from the top to the bucket holding the `k`-th largest cost (1-based); undefined when fewer than k. */
function locateRank(counts: Map<number, number> | undefined, k: number): { bucket: number; within: number } | undefined {
  if (counts === undefined || k < 1) return undefined;
  let above = 0;
  for (const b of [...counts.keys()].sort((x, y) => y - x)) {
    const n = counts.get(b)!;
    if (above + n >= k) return { bucket: b, within: k - above };
    above += n;
  }
  return undefined;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
