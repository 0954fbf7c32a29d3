import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import { CostBuckets } from './CostBuckets.js';
import { BudgetManager, type AlertListener, type Budget, type LedgerAlert } from './BudgetManager.js';
import type { BudgetPeriod, BudgetScope } from './BudgetExceededError.js';
import type { LedgerMetrics } from './createLedgerMetrics.js';
import { exportRequests, type ExportFormat } from './exportRequests.js';
import { LedgerAnalytics, type AnalyticsOptions, type AnomalyRow } from './LedgerAnalytics.js';
import { LedgerStorageError } from './LedgerStorageError.js';
import type { LedgerRequestInput, LedgerRow, TimeRange } from './ledgerTypes.js';
import { LocalCostModel, type LocalCostConfig } from './LocalCostModel.js';
import { migrateLedger } from './migrateLedger.js';
import { PriceBook, pricingVersionOf, type CostQuery, type ImportResult } from './PriceBook.js';
import { priceTokens, type TokenCost } from './priceTokens.js';
import { uuidV7 } from './uuidV7.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface LedgerStoreOptions {
  /** Folder holding `ledger.sqlite` (created if missing). Give this or `file`. */
  dataDir?: string;
  /** Explicit database path (`:memory:` works for throwaway stores). */
  file?: string;
  /** Local cost model settings. Default: laptop CPU, 28 W, $0.15/kWh, no amortisation. */
  local?: LocalCostConfig;
  /** Cloud models each local request is shadow-priced on. Default none. */
  compareModels?: string[];
  /** Providers that run on this machine. Default `['local', 'node-llama-cpp']`. */
  localProviders?: string[];
  /** Prometheus instruments updated after each commit (see `createLedgerMetrics`). */
  metrics?: LedgerMetrics;
  /** SQLite page cache in MiB. Default 64 (the 1M-row bench keeps its indexes hot with it). */
  cacheMiB?: number;
  /**
   * `track()` rows are committed in groups: at the end of the current event-loop turn
   * (setImmediate) or as soon as 256 are pending, whichever is first. Default true. One commit
   * touches ~8 B-tree pages, so grouping makes instrumentation nearly free on hot paths; the cost
   * is that a process crash can lose the rows of the last event-loop turn (recordRequest/recordMany
   * are always synchronous). false = every tracked call commits before track() returns.
   */
  writeBehind?: boolean;
}

/** What `track` needs to know before the call; usage is reported by the call itself. */
export interface TrackMeta extends Omit<LedgerRequestInput, 'promptTokens' | 'completionTokens' | 'cachedTokens' | 'latencyMs' | 'status' | 'errorCode' | 'cacheHit' | 'ts'> {
  /**
   * Pre-flight budget check: prompt tokens + max completion tokens are priced at the model's
   * rate (0 for local models) and `checkBudget` throws `BudgetExceededError` before the call runs.
   */
  budget?: { promptTokens: number; maxCompletionTokens: number };
  /** Tokens to record if the call throws before reporting usage. Default 0. */
  promptTokensOnError?: number;
}

/** What the tracked call reports back. */
export interface TrackUsage {
  promptTokens: number;
  completionTokens: number;
  cachedTokens?: number;
  cacheHit?: boolean;
}

type DbRow = Omit<LedgerRow, 'isLocal' | 'cacheHit' | 'shadow'> & { isLocal: number; cacheHit: number };

interface RollupDelta {
  key: unknown[];
  hits: number;
  saved: number;
  requests: number;
  prompt: number;
  completion: number;
  cached: number;
  cost: number;
  latency: number;
}

/**
 * The cost ledger: one SQLite file (WAL, synchronous=NORMAL — a commit survives a crash of this
 * process; an OS crash or power loss may drop the last few commits but never corrupts the file).
 * Every provider call is recorded here through `recordRequest`/`recordMany`/`track`, priced
 * exactly at the rate in force at its timestamp, with daily/hourly rollups maintained in the same
 * transaction so reports stay fast at millions of rows.
 */
export class LedgerStore {
  readonly prices: PriceBook;
  readonly budgets: BudgetManager;
  readonly analytics: LedgerAnalytics;
  /** Replaced by {@link setLocalCost} when the user changes the power or electricity figures. */
  localCost: LocalCostModel;
  readonly compareModels: readonly string[];
  private readonly localProviders: ReadonlySet<string>;
  private readonly metrics: LedgerMetrics | undefined;
  private readonly insertReq: Database.Statement;
  private readonly insertShadow: Database.Statement;
  private readonly upDayModel: Database.Statement;
  private readonly upDayUser: Database.Statement;
  private readonly upDayProject: Database.Statement;
  private readonly upDayEndpoint: Database.Statement;
  private readonly upHourUser: Database.Statement;
  private readonly upDayShadow: Database.Statement;
  private readonly upDayEndpointBucket: Database.Statement;
  private readonly writeBatch: (rows: LedgerRow[]) => void;
  private disposed = false;
  private readonly writeBehind: boolean;
  private pending: LedgerRow[] = [];
  private flushScheduled = false;
  private deferredError: unknown = undefined;
  private static readonly MAX_PENDING = 256;

  private constructor(
    readonly db: Database.Database,
    readonly file: string,
    options: LedgerStoreOptions,
  ) {
    this.prices = new PriceBook(db);
    this.budgets = new BudgetManager(db);
    this.analytics = new LedgerAnalytics(db);
    this.localCost = new LocalCostModel(options.local);
    this.compareModels = [...(options.compareModels ?? [])];
    this.localProviders = new Set(options.localProviders ?? ['local', 'node-llama-cpp']);
    this.metrics = options.metrics;
    this.writeBehind = options.writeBehind ?? true;
    this.insertReq = db.prepare(`INSERT INTO llm_requests (request_id, ts, user_id, project_id, endpoint, provider, model,
      is_local, prompt_tokens, completion_tokens, cached_tokens, prompt_cost_micros, completion_cost_micros, total_cost_micros,
      latency_ms, status, error_code, attempt, parent_request_id, cache_hit, grammar_hash, schema_hash, energy_mwh, pricing_version,
      saved_micros) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertShadow = db.prepare('INSERT INTO llm_request_shadow (request_id, model, total_cost_micros) VALUES (?, ?, ?)');
    const adds = `requests = requests + excluded.requests, prompt_tokens = prompt_tokens + excluded.prompt_tokens,
      completion_tokens = completion_tokens + excluded.completion_tokens, cached_tokens = cached_tokens + excluded.cached_tokens,
      cost_micros = cost_micros + excluded.cost_micros, latency_sum_ms = latency_sum_ms + excluded.latency_sum_ms`;
    this.upDayModel = db.prepare(`INSERT INTO rollup_day_model (day, model, provider, requests, prompt_tokens, completion_tokens,
      cached_tokens, cost_micros, latency_sum_ms, cache_hits, saved_micros) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (day, model, provider) DO UPDATE SET ${adds}, cache_hits = cache_hits + excluded.cache_hits,
      saved_micros = saved_micros + excluded.saved_micros`);
    this.upDayUser = db.prepare(`INSERT INTO rollup_day_user VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (day, user_id) DO UPDATE SET ${adds}`);
    this.upDayProject = db.prepare(`INSERT INTO rollup_day_project VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (day, project_id) DO UPDATE SET ${adds}`);
    this.upDayEndpoint = db.prepare(`INSERT INTO rollup_day_endpoint VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (day, endpoint) DO UPDATE SET ${adds}`);
    this.upHourUser = db.prepare(`INSERT INTO rollup_hour_user VALUES (?, ?, ?, ?) ON CONFLICT (user_id, hour)
      DO UPDATE SET requests = requests + excluded.requests, cost_micros = cost_micros + excluded.cost_micros`);
    this.upDayShadow = db.prepare(`INSERT INTO rollup_day_shadow VALUES (?, ?, ?, ?, ?) ON CONFLICT (day, model)
      DO UPDATE SET requests = requests + excluded.requests, local_cost_micros = local_cost_micros + excluded.local_cost_micros,
      shadow_cost_micros = shadow_cost_micros + excluded.shadow_cost_micros`);
    this.upDayEndpointBucket = db.prepare(`INSERT INTO rollup_day_endpoint_bucket (endpoint, bucket, day, requests) VALUES (?, ?, ?, ?)
      ON CONFLICT (endpoint, bucket, day) DO UPDATE SET requests = requests + excluded.requests`);
    this.writeBatch = db.transaction((rows: LedgerRow[]) => this.writeRows(rows));
  }

  /** Opens (creating and migrating as needed) the ledger database. */
  static async open(options: LedgerStoreOptions): Promise<LedgerStore> {
    let file: string;
    if (options.file !== undefined) file = options.file;
    else if (options.dataDir !== undefined) {
      mkdirSync(options.dataDir, { recursive: true });
      file = join(options.dataDir, 'ledger.sqlite');
    } else throw new AppError('INVALID_INPUT', 'LedgerStore.open needs dataDir or file');
    let db: Database.Database;
    try {
      db = new Database(file);
    } catch (e) {
      throw LedgerStorageError.fromSqlite(e, 'open') ?? e;
    }
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      db.pragma(`cache_size = ${-1024 * Math.max(1, Math.floor(options.cacheMiB ?? 64))}`);
      migrateLedger(db);
      return new LedgerStore(db, file, options);
    } catch (e) {
      db.close();
      throw LedgerStorageError.fromSqlite(e, 'open') ?? e;
    }
  }

  /** Checkpoints the WAL into the main file and closes. Idempotent. */
  /** New power/electricity figures apply to requests recorded from now on; earlier rows keep their price. */
  setLocalCost(config: LocalCostConfig): void {
    this.localCost = new LocalCostModel(config);
  }

  dispose(): void {
    if (this.disposed) return;
    try {
      this.flush();
    } finally {
      this.disposed = true;
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        this.db.close();
      }
    }
  }

  /**
   * Commits the rows `track()` has queued (see `writeBehind`). Throws `LedgerStorageError` if the
   * write fails; the rows stay queued and the next flush retries them. Returns the rows written.
   */
  flush(): number {
    if (this.pending.length === 0) return 0;
    const rows = this.pending;
    this.commit(rows); // throws: rows stay in `pending`
    this.pending = [];
    this.deferredError = undefined;
    this.metrics?.setPendingRows(0);
    return rows.length;
  }

  private enqueue(input: LedgerRequestInput): void {
    const row = this.price(input);
    if (!this.writeBehind) {
      this.commit([row]);
      return;
    }
    this.pending.push(row);
    this.metrics?.setPendingRows(this.pending.length);
    if (this.pending.length >= LedgerStore.MAX_PENDING) {
      try {
        this.flush();
      } catch (e) {
        // The row is queued, not lost; the next track() retries first and fails before calling out.
        this.deferredError = e;
        if (this.pending.length >= 16 * LedgerStore.MAX_PENDING) throw e;
      }
      return;
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        if (this.disposed) return;
        try {
          this.flush();
        } catch (e) {
          // Nobody is on the stack to catch this: keep it for the next track()/flush() to throw.
          this.deferredError = e;
        }
      });
    }
  }

  /** Whether `provider` runs on this machine (priced by the local cost model). */
  isLocalProvider(provider: string): boolean {
    return this.localProviders.has(provider);
  }

  /**
   * Turns a caller's report into the stored row: prices it (cloud: price row in force at `ts`;
   * local: energy + amortisation from latency; cache hit: 0) and computes shadow costs for local
   * requests. A cloud model with no known price is recorded at 0 with `pricingVersion: null`
   * rather than dropped — the ledger must see every request.
   */
  price(input: LedgerRequestInput): LedgerRow {
    const ts = input.ts ?? Date.now();
    // Day/hour rollups and the (ts / day) index assume whole, non-negative milliseconds.
    if (!Number.isSafeInteger(ts) || ts < 0) throw new RangeError('ts must be a non-negative integer (ms since epoch)');
    const isLocal = input.local ?? this.localProviders.has(input.provider);
    const cacheHit = input.cacheHit ?? false;
    const tokens = {
      promptTokens: input.promptTokens,
      completionTokens: input.completionTokens,
      cachedTokens: input.cachedTokens ?? 0,
    };
    let cost: TokenCost = { promptMicros: 0, completionMicros: 0, totalMicros: 0 };
    let energyMwh: number | null = null;
    let pricingVersion: string | null = null;
    let savedMicros: number | null = null;
    if (cacheHit && input.savedMicros !== undefined && input.savedMicros !== null) {
      if (!Number.isSafeInteger(input.savedMicros) || input.savedMicros < 0) throw new RangeError('savedMicros must be a non-negative integer');
      savedMicros = input.savedMicros;
    }
    const shadow: LedgerRow['shadow'] = [];
    if (!Number.isFinite(input.latencyMs) || input.latencyMs < 0) throw new RangeError('latencyMs must be >= 0');
    if (isLocal) {
      pricingVersion = this.localCost.label;
      if (cacheHit) energyMwh = 0;
      else {
        const lc = this.localCost.costOf(input.latencyMs);
        energyMwh = lc.energyMwh;
        // Local wall time is not split into prefill and decode: the whole cost is the completion's.
        cost = { promptMicros: 0, completionMicros: lc.totalMicros, totalMicros: lc.totalMicros };
        for (const model of this.compareModels) {
          const row = this.prices.rateAt(model, ts);
          if (row === undefined) continue;
          shadow.push({ model, totalCostMicros: priceTokens(row, tokens).totalMicros });
        }
      }
    } else {
      const row = this.prices.rateAt(input.model, ts, input.provider) ?? this.prices.rateAt(input.model, ts);
      if (row !== undefined) {
        pricingVersion = pricingVersionOf(row);
        const priced = priceTokens(row, tokens); // also validates the token counts
        if (!cacheHit) cost = priced;
        else savedMicros = priced.totalMicros; // exact, at the price in force at ts
      }
    }
    const attempt = input.attempt ?? 1;
    if (!Number.isSafeInteger(attempt) || attempt < 1) throw new RangeError('attempt is 1-based');
    return {
      requestId: input.requestId ?? uuidV7(ts),
      ts,
      userId: input.userId ?? 'local',
      projectId: input.projectId ?? 'default',
      endpoint: input.endpoint,
      provider: input.provider,
      model: input.model,
      isLocal,
      ...tokens,
      promptCostMicros: cost.promptMicros,
      completionCostMicros: cost.completionMicros,
      totalCostMicros: cost.totalMicros,
      latencyMs: Math.round(input.latencyMs),
      status: input.status,
      errorCode: input.errorCode ?? null,
      attempt,
      parentRequestId: input.parentRequestId ?? null,
      cacheHit,
      grammarHash: input.grammarHash ?? null,
      schemaHash: input.schemaHash ?? null,
      energyMwh,
      pricingVersion,
      savedMicros,
      shadow,
    };
  }

  /** Records one request (one transaction). Returns the stored row. */
  recordRequest(input: LedgerRequestInput): LedgerRow {
    return this.recordMany([input])[0]!;
  }

  /**
   * Records many requests in ONE transaction (all or nothing). Rollup deltas are summed in memory
   * first, so a batch costs one upsert per touched (day, key) instead of one per row. After the
   * commit: metrics are updated and budget alerts evaluated. Storage failures throw
   * `LedgerStorageError` (`DISK_FULL` is retryable; earlier commits are untouched).
   */
  recordMany(inputs: readonly LedgerRequestInput[]): LedgerRow[] {
    this.assertOpen();
    const rows = inputs.map((i) => this.price(i));
    this.commit(rows);
    return rows;
  }

  private commit(rows: LedgerRow[]): void {
    try {
      this.writeBatch(rows);
    } catch (e) {
      throw LedgerStorageError.fromSqlite(e, 'record requests') ?? e;
    }
    if (this.metrics !== undefined) for (const r of rows) this.metrics.observe(r);
    this.budgets.evaluate(rows);
  }

  /**
   * The one instrumented path for a provider call: optional pre-flight budget check, then runs
   * `call`, timing it, and records the outcome — `ok` with the reported usage, `cancelled` for an
   * AbortError / CANCELLED, `error` (with the AppError code or error name) otherwise — before
   * returning the value or rethrowing the original error. Rows are committed write-behind (see
   * `writeBehind`); `flush()` forces them out, and `count`/`getRequest` flush first.
   */
  async track<T>(
    meta: TrackMeta,
    call: (ctx: { requestId: string }) => Promise<{ value: T; usage: TrackUsage }>,
  ): Promise<T> {
    this.assertOpen();
    if (this.deferredError !== undefined) this.flush(); // retry; throws the storage error if it persists
    const requestId = meta.requestId ?? uuidV7();
    if (meta.budget !== undefined) {
      this.flush(); // queued spend must count
      const estimateMicros = this.estimate({ model: meta.model, provider: meta.provider, ...meta.budget });
      this.budgets.checkBudget({ userId: meta.userId ?? 'local', projectId: meta.projectId ?? 'default', estimateMicros });
    }
    const { budget: _b, promptTokensOnError, ...base } = meta;
    const ts = Date.now();
    const t0 = performance.now();
    let out: { value: T; usage: TrackUsage };
    try {
      out = await call({ requestId });
    } catch (e) {
      const cancelled = (e instanceof Error && e.name === 'AbortError') || (e instanceof AppError && e.code === 'CANCELLED');
      this.enqueue({
        ...base,
        requestId,
        ts,
        promptTokens: promptTokensOnError ?? 0,
        completionTokens: 0,
        latencyMs: performance.now() - t0,
        status: cancelled ? 'cancelled' : 'error',
        errorCode: e instanceof AppError ? e.code : e instanceof Error ? e.name : 'UNKNOWN',
      });
      throw e;
    }
    this.enqueue({ ...base, requestId, ts, ...out.usage, latencyMs: performance.now() - t0, status: 'ok' });
    return out.value;
  }

  /** Pre-flight estimate in µ$: (prompt + max completion) at the model's current price; 0 for local. */
  estimate(q: { model: string; provider: string; promptTokens: number; maxCompletionTokens: number; at?: number }): number {
    if (this.localProviders.has(q.provider)) return 0;
    return this.prices.costOf({ model: q.model, provider: q.provider, promptTokens: q.promptTokens, completionTokens: q.maxCompletionTokens, at: q.at }).totalMicros;
  }

  // ---- façade over the parts, so callers need only the store ----

  importLiteLLM(json: string | Record<string, unknown>, options?: { validFrom?: number; source?: string }): ImportResult {
    this.assertOpen();
    try {
      return this.prices.importLiteLLM(json, options);
    } catch (e) {
      throw LedgerStorageError.fromSqlite(e, 'import prices') ?? e;
    }
  }

  costOf(q: CostQuery): TokenCost & { pricingVersion: string } {
    return this.prices.costOf(q);
  }

  checkBudget(q: { userId?: string; projectId?: string; estimateMicros: number; at?: number }): { budget: Budget; spentMicros: number }[] {
    this.flush();
    return this.budgets.checkBudget(q);
  }

  setBudget(b: { scope: BudgetScope; scopeId: string; period: BudgetPeriod; limitUsd: string | number }): Budget {
    return this.budgets.setBudget(b);
  }

  onAlert(cb: AlertListener): () => void {
    return this.budgets.onAlert(cb);
  }

  /** Finds hourly spend anomalies and records each once as an `anomaly` alert (listeners notified). */
  scanAnomalies(o: AnalyticsOptions & { zThreshold?: number } = {}): { anomalies: AnomalyRow[]; newAlerts: LedgerAlert[] } {
    this.flush();
    const anomalies = this.analytics.anomalies(o);
    const newAlerts: LedgerAlert[] = [];
    for (const a of anomalies) {
      const alert = this.budgets.record({
        kind: 'anomaly',
        scope: 'user',
        scopeId: a.userId,
        period: 'hour',
        periodStart: a.hourStart,
        thresholdPct: Math.floor(a.z * 100),
        spentMicros: a.spentMicros,
        limitMicros: null,
        message: `Unusual spend for user "${a.userId}": $${(a.spentMicros / 1e6).toFixed(6)} in the hour from ${new Date(a.hourStart).toISOString()} (z = ${a.z.toFixed(1)}).`,
      });
      if (alert !== undefined) newAlerts.push(alert);
    }
    return { anomalies, newAlerts };
  }

  exportRequests(o: TimeRange & { format: ExportFormat; write: (chunk: string) => void }): number {
    this.flush();
    return exportRequests(this.db, o);
  }

  /** Prometheus text of the attached metrics registry (empty string when none was given). */
  async metricsText(): Promise<string> {
    return this.metrics === undefined ? '' : this.metrics.metricsText();
  }

  /** Time of the oldest and newest stored request, or null when the ledger is empty. */
  timeBounds(): { first: number; last: number } | null {
    this.flush();
    const r = this.db.prepare('SELECT (SELECT MIN(ts) FROM llm_requests) AS first, (SELECT MAX(ts) FROM llm_requests) AS last').get() as { first: number | null; last: number | null };
    return r.first === null || r.last === null ? null : { first: r.first, last: r.last };
  }

  /** Number of stored requests (for tests and status screens). */
  count(): number {
    this.flush();
    return (this.db.prepare('SELECT COUNT(*) AS n FROM llm_requests').get() as { n: number }).n;
  }

  /** One stored request with its shadow costs, or undefined. */
  getRequest(requestId: string): LedgerRow | undefined {
    this.flush();
    const r = this.db.prepare(`SELECT request_id AS requestId, ts, user_id AS userId, project_id AS projectId, endpoint, provider,
      model, is_local AS isLocal, prompt_tokens AS promptTokens, completion_tokens AS completionTokens, cached_tokens AS cachedTokens,
      prompt_cost_micros AS promptCostMicros, completion_cost_micros AS completionCostMicros, total_cost_micros AS totalCostMicros,
      latency_ms AS latencyMs, status, error_code AS errorCode, attempt, parent_request_id AS parentRequestId, cache_hit AS cacheHit,
      grammar_hash AS grammarHash, schema_hash AS schemaHash, energy_mwh AS energyMwh, pricing_version AS pricingVersion,
      saved_micros AS savedMicros FROM llm_requests WHERE request_id = ?`).get(requestId) as DbRow | undefined;
    if (r === undefined) return undefined;
    const shadow = this.db
      .prepare('SELECT model, total_cost_micros AS totalCostMicros FROM llm_request_shadow WHERE request_id = ? ORDER BY model')
      .all(requestId) as LedgerRow['shadow'];
    return { ...r, isLocal: r.isLocal === 1, cacheHit: r.cacheHit === 1, shadow };
  }

  private assertOpen(): void {
    if (this.disposed) throw new AppError('INTERNAL', 'LedgerStore used after dispose()');
  }

  private writeRows(rows: LedgerRow[]): void {
    // Rollup deltas are summed per batch in nested Maps keyed by the row's own values (numbers and
    // strings V8 has already hashed): building a composite string key per row and rollup cost more
    // than the SQLite work for small rows (ablation: 6.7 µs/row of JS with the statements stubbed).
    const dayModel = new Map<number, Map<string, Map<string, RollupDelta>>>();
    const dayUser = new Map<number, Map<string, RollupDelta>>();
    const dayProject = new Map<number, Map<string, RollupDelta>>();
    const dayEndpoint = new Map<number, Map<string, RollupDelta>>();
    const hourUser = new Map<number, Map<string, { key: unknown[]; requests: number; cost: number }>>();
    const dayShadow = new Map<number, Map<string, { key: unknown[]; requests: number; local: number; shadow: number }>>();
    const dayBucket = new Map<number, Map<string, Map<number, { key: unknown[]; requests: number }>>>();
    const add = (d: RollupDelta, r: LedgerRow) => {
      d.requests++;
      d.prompt += r.promptTokens;
      d.completion += r.completionTokens;
      d.cached += r.cachedTokens;
      d.cost += r.totalCostMicros;
      d.latency += r.latencyMs;
      if (r.cacheHit) {
        d.hits++;
        d.saved += r.savedMicros ?? 0;
      }
    };
    const fresh = (key: unknown[]): RollupDelta => ({ key, hits: 0, saved: 0, requests: 0, prompt: 0, completion: 0, cached: 0, cost: 0, latency: 0 });
    for (const r of rows) {
      this.insertReq.run(
        r.requestId, r.ts, r.userId, r.projectId, r.endpoint, r.provider, r.model, r.isLocal ? 1 : 0, r.promptTokens,
        r.completionTokens, r.cachedTokens, r.promptCostMicros, r.completionCostMicros, r.totalCostMicros, r.latencyMs,
        r.status, r.errorCode, r.attempt, r.parentRequestId, r.cacheHit ? 1 : 0, r.grammarHash, r.schemaHash, r.energyMwh,
        r.pricingVersion, r.savedMicros,
      );
      const day = Math.floor(r.ts / DAY_MS);
      const byModel = inner(dayModel, day);
      const byProvider = inner(byModel, r.model);
      let dm = byProvider.get(r.provider);
      if (dm === undefined) byProvider.set(r.provider, (dm = fresh([day, r.model, r.provider])));
      add(dm, r);
      const one = (m: Map<number, Map<string, RollupDelta>>, k: string) => {
        const byKey = inner(m, day);
        let d = byKey.get(k);
        if (d === undefined) byKey.set(k, (d = fresh([day, k])));
        add(d, r);
      };
      one(dayUser, r.userId);
      one(dayProject, r.projectId);
      one(dayEndpoint, r.endpoint);
      const bucket = CostBuckets.of(r.totalCostMicros);
      const byBucket = inner(inner(dayBucket, day), r.endpoint);
      const b = byBucket.get(bucket);
      if (b === undefined) byBucket.set(bucket, { key: [r.endpoint, bucket, day], requests: 1 });
      else b.requests++;
      const hour = Math.floor(r.ts / HOUR_MS);
      const hu = inner(hourUser, hour);
      const h = hu.get(r.userId);
      if (h === undefined) hu.set(r.userId, { key: [r.userId, hour], requests: 1, cost: r.totalCostMicros });
      else {
        h.requests++;
        h.cost += r.totalCostMicros;
      }
      for (const s of r.shadow) {
        this.insertShadow.run(r.requestId, s.model, s.totalCostMicros);
        const ds = inner(dayShadow, day);
        const d = ds.get(s.model);
        if (d === undefined) ds.set(s.model, { key: [day, s.model], requests: 1, local: r.totalCostMicros, shadow: s.totalCostMicros });
        else {
          d.requests++;
          d.local += r.totalCostMicros;
          d.shadow += s.totalCostMicros;
        }
      }
    }
    for (const byModel of dayModel.values()) {
      for (const byProvider of byModel.values()) {
        for (const d of byProvider.values()) {
          this.upDayModel.run(...d.key, d.requests, d.prompt, d.completion, d.cached, d.cost, d.latency, d.hits, d.saved);
        }
      }
    }
    for (const [m, stmt] of [
      [dayUser, this.upDayUser],
      [dayProject, this.upDayProject],
      [dayEndpoint, this.upDayEndpoint],
    ] as const) {
      for (const byKey of m.values()) for (const d of byKey.values()) stmt.run(...d.key, d.requests, d.prompt, d.completion, d.cached, d.cost, d.latency);
    }
    for (const hu of hourUser.values()) for (const h of hu.values()) this.upHourUser.run(...h.key, h.requests, h.cost);
    for (const ds of dayShadow.values()) for (const d of ds.values()) this.upDayShadow.run(...d.key, d.requests, d.local, d.shadow);
    for (const byEndpoint of dayBucket.values()) {
      for (const byBucket of byEndpoint.values()) for (const b of byBucket.values()) this.upDayEndpointBucket.run(...b.key, b.requests);
    }
  }
}

/** The inner map of `m` at `k`, created on first use. */
function inner<K, K2, V>(m: Map<K, Map<K2, V>>, k: K): Map<K2, V> {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = new Map()));
  return v;
}
