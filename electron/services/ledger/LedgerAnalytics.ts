import type Database from 'better-sqlite3';
import { Micros } from './Micros.js';
import type { LedgerRow, TimeRange } from './ledgerTypes.js';

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
      for (const [a, b] of raw) parts.push(this.stmt(rawSql).all(a, b) as Grouped<K>[]);
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

  /** Per endpoint: totals, mean and nearest-rank p95 cost per request. */
  byEndpoint(o: AnalyticsOptions = {}): EndpointRow[] {
    const rows = this.grouped(o, ['endpoint'] as const, 'endpoint', 'rollup_day_endpoint', 'endpoint');
    // Walk the (endpoint, cost) index from the top: the p95 row is only ~5% of the way down.
    const p95 = this.stmt(`SELECT total_cost_micros AS c FROM llm_requests INDEXED BY llm_requests_endpoint_cost
      WHERE endpoint = ? AND ts >= ? AND ts < ? ORDER BY total_cost_micros DESC LIMIT 1 OFFSET ?`);
    return rows
      .map((r) => {
        const t = toTotals(r);
        const rank = Math.ceil((95 * t.requests) / 100); // nearest-rank, 1-based from the cheapest
        const hit = p95.get(String(r.endpoint), o.since ?? MIN_TS, o.until ?? MAX_TS, t.requests - rank) as { c: number } | undefined;
        if (hit === undefined) throw new Error(`p95 rank ${rank} missing for endpoint ${String(r.endpoint)}`);
        return {
          endpoint: String(r.endpoint),
          ...t,
          avgCostMicros: t.requests === 0 ? 0 : t.costMicros / t.requests,
          p95CostMicros: hit.c,
        };
      })
      .sort((a, b) => b.costMicros - a.costMicros || cmp(a.endpoint, b.endpoint));
  }

  /**
   * The `limit` (default 20) most expensive requests, ties by newer time then id. Read as the
   * top `limit` of each endpoint from the (endpoint, cost, ts) index, merged — exact, because the
   * global top N is inside the union of per-endpoint top Ns — which saves a separate cost index
   * (one B-tree write less per recorded request).
   */
  mostExpensive(o: TimeRange & { limit?: number } = {}): ExpensiveRow[] {
    const limit = o.limit ?? 20;
    const endpoints = this.stmt('SELECT DISTINCT endpoint FROM rollup_day_endpoint').pluck().all() as string[];
    const top = this.stmt(`SELECT request_id AS requestId, ts, user_id AS userId, project_id AS projectId, endpoint, provider,
        model, prompt_tokens AS promptTokens, completion_tokens AS completionTokens, total_cost_micros AS totalCostMicros, status
      FROM llm_requests INDEXED BY llm_requests_endpoint_cost WHERE endpoint = ? AND ts >= ? AND ts < ?
      ORDER BY total_cost_micros DESC, ts DESC, request_id LIMIT ?`);
    const all: ExpensiveRow[] = [];
    for (const e of endpoints) all.push(...(top.all(e, o.since ?? MIN_TS, o.until ?? MAX_TS, limit) as ExpensiveRow[]));
    return all
      .sort((a, b) => b.totalCostMicros - a.totalCostMicros || b.ts - a.ts || cmp(a.requestId, b.requestId))
      .slice(0, limit);
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
    const bounds = this.stmt('SELECT MIN(ts) AS lo, MAX(ts) AS hi FROM llm_requests').get() as { lo: number | null; hi: number | null };
    if (bounds.lo === null || bounds.hi === null) return [];
    const h0 = Math.floor((o.since ?? bounds.lo) / HOUR_MS);
    const h1 = o.until === undefined ? Math.floor(bounds.hi / HOUR_MS) + 1 : Math.ceil(o.until / HOUR_MS);
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
    for (const [a, b] of raw) add(this.stmt(rawSql).get(a, b) as { hits: number; saved: number });
    return out;
  }

  /**
   * What local requests cost (energy + amortisation) versus what the same tokens would have
   * cost on each comparison model at the price then in force. One row per comparison model.
   */
  localVsCloud(o: AnalyticsOptions = {}): SavingsRow[] {
    type R = { model: string; requests: number; local: number; cloud: number };
    const source = o.source ?? 'auto';
    const rawSql = `SELECT s.model AS model, COUNT(*) AS requests, SUM(r.total_cost_micros) AS local, SUM(s.total_cost_micros) AS cloud
      FROM llm_request_shadow s JOIN llm_requests r USING (request_id) WHERE r.ts >= ? AND r.ts < ? GROUP BY 1`;
    const parts: R[][] = [];
    if (source === 'raw') parts.push(this.stmt(rawSql).all(o.since ?? MIN_TS, o.until ?? MAX_TS) as R[]);
    else {
      const { days, raw } = splitRange(o.since, o.until);
      if (days !== null) {
        parts.push(this.stmt(`SELECT model, SUM(requests) AS requests, SUM(local_cost_micros) AS local,
          SUM(shadow_cost_micros) AS cloud FROM rollup_day_shadow WHERE day >= ? AND day < ? GROUP BY 1`).all(days[0], days[1]) as R[]);
      }
      for (const [a, b] of raw) parts.push(this.stmt(rawSql).all(a, b) as R[]);
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

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
