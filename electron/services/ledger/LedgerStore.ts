import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import { BudgetManager, type AlertListener, type Budget, type LedgerAlert } from './BudgetManager.js';
import type { BudgetPeriod, BudgetScope } from './BudgetExceededError.js';
import type { LedgerMetrics } from './createLedgerMetrics.js';
import { exportRequests, type ExportFormat } from './exportRequests.js';
import { LedgerAnalytics, type AnalyticsOptions, type AnomalyRow } from './LedgerAnalytics.js';
import { LedgerNames } from './LedgerNames.js';
import { LedgerStorageError } from './LedgerStorageError.js';
import type { LedgerRequestInput, LedgerRow, TimeRange } from './ledgerTypes.js';
import { LocalCostModel, type LocalCostConfig } from './LocalCostModel.js';
import { migrateLedger } from './migrateLedger.js';
import { PriceBook, pricingVersionOf, type CostQuery, type ImportResult, type PriceRow } from './PriceBook.js';
import { priceTokens, type TokenCost } from './priceTokens.js';
import { requestIdKey } from './requestIdKey.js';
import { uuidV7 } from './uuidV7.js';
import { RollupBatch, type RollupStatements } from './RollupBatch.js';

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
   * Page size in bytes for a NEW database file (a power of two, 512–65536); an existing file keeps
   * its own. Default 4096 (SQLite's). 16384 cuts the WAL frames per batch ~4×, but in A/B bench runs
   * (300k rows, 3 × each, loaded 2-core host) neither the insert rate (wall or per CPU-second) nor the
   * query medians differed beyond the noise, while every point read copies 4× the bytes and a
   * commit-per-call `track()` writes bigger frames — so the default stays. For ablations (`--page-size`).
   */
  pageSize?: number;
  /**
   * WAL auto-checkpoint threshold in pages. Default 1000 (SQLite's). Each checkpoint copies the WAL
   * into the database and fsyncs both (~3 ms per fsync on the dev host), and a 5,000-row batch
   * appends ~600 frames, so a bigger threshold looked like a saving; A/B bench runs (300k rows, 3 ×
   * each, loaded host) showed 4000 no faster (best 32k vs 37k rows/s, 56k vs 67k rows per CPU-second),
   * so the default stays. For ablations (`--checkpoint-pages`).
   */
  checkpointPages?: number;
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
  private readonly names: LedgerNames;
  private readonly rollups: RollupStatements;
  private readonly writeBatch: (rows: LedgerRow[]) => void;
  private disposed = false;
  /** `pricingVersionOf` per cached price row: one string per price, not one per request (fewer allocations). */
  private readonly pricingVersions = new WeakMap<PriceRow, string>();
  private readonly writeBehind: boolean;
  private pending: LedgerRow[] = [];
  private flushScheduled = false;
  private deferredError: unknown = undefined;
  private static readonly MAX_PENDING = 256;
  /** Scratch BLOBs for the insert's ids (better-sqlite3 copies bound buffers, so one each suffices). */
  private readonly idScratch = new Uint8Array(16);
  private readonly parentScratch = new Uint8Array(16);

  private constructor(
    readonly db: Database.Database,
    readonly file: string,
    options: LedgerStoreOptions,
  ) {
    this.prices = new PriceBook(db);
    this.budgets = new BudgetManager(db);
    this.analytics = new LedgerAnalytics(db);
    this.localCost = new LocalCostModel(options.local);
    this.compareModels = [...new Set(options.compareModels ?? [])]; // one shadow cost per model
    this.localProviders = new Set(options.localProviders ?? ['local', 'node-llama-cpp']);
    this.metrics = options.metrics;
    this.writeBehind = options.writeBehind ?? true;
    this.names = new LedgerNames(db);
    // Straight into the table behind the `llm_requests` view (migration v7): names as ids, uuids as 16 bytes.
    this.insertReq = db.prepare(`INSERT INTO llm_requests_data (request_id, ts, user_ref, project_ref, endpoint_ref, provider_ref,
      model_ref, is_local, prompt_tokens, completion_tokens, cached_tokens, prompt_cost_micros, completion_cost_micros,
      total_cost_micros, latency_ms, status, error_code, attempt, parent_request_id, cache_hit, grammar_hash, schema_hash,
      energy_mwh, pricing_ref, saved_micros, shadow_costs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const adds = `requests = requests + excluded.requests, prompt_tokens = prompt_tokens + excluded.prompt_tokens,
      completion_tokens = completion_tokens + excluded.completion_tokens, cached_tokens = cached_tokens + excluded.cached_tokens,
      cost_micros = cost_micros + excluded.cost_micros, latency_sum_ms = latency_sum_ms + excluded.latency_sum_ms`;
    const dayModel = db.prepare(`INSERT INTO rollup_day_model (day, model, provider, requests, prompt_tokens, completion_tokens,
      cached_tokens, cost_micros, latency_sum_ms, cache_hits, saved_micros) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (day, model, provider) DO UPDATE SET ${adds}, cache_hits = cache_hits + excluded.cache_hits,
      saved_micros = saved_micros + excluded.saved_micros`);
    const dayUser = db.prepare(`INSERT INTO rollup_day_user VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (day, user_id) DO UPDATE SET ${adds}`);
    const dayProject = db.prepare(`INSERT INTO rollup_day_project VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (day, project_id) DO UPDATE SET ${adds}`);
    const dayEndpoint = db.prepare(`INSERT INTO rollup_day_endpoint VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (day, endpoint) DO UPDATE SET ${adds}`);
    const hourUser = db.prepare(`INSERT INTO rollup_hour_user VALUES (?, ?, ?, ?) ON CONFLICT (user_id, hour)
      DO UPDATE SET requests = requests + excluded.requests, cost_micros = cost_micros + excluded.cost_micros`);
    const dayShadow = db.prepare(`INSERT INTO rollup_day_shadow VALUES (?, ?, ?, ?, ?) ON CONFLICT (day, model)
      DO UPDATE SET requests = requests + excluded.requests, local_cost_micros = local_cost_micros + excluded.local_cost_micros,
      shadow_cost_micros = shadow_cost_micros + excluded.shadow_cost_micros`);
    // Bucket counts merge key by key in SQL (json_each), so the stored JSON stays the exact sum of its batches.
    const dayEndpointHist = db.prepare(`INSERT INTO rollup_day_endpoint_hist (day, endpoint, counts) VALUES (?, ?, ?)
      ON CONFLICT (day, endpoint) DO UPDATE SET counts = (SELECT json_group_object(k, n) FROM (SELECT k, SUM(v) AS n FROM
        (SELECT key AS k, value AS v FROM json_each(rollup_day_endpoint_hist.counts) UNION ALL
         SELECT key, value FROM json_each(excluded.counts)) GROUP BY k ORDER BY CAST(k AS INTEGER)))`);
    this.rollups = { dayModel, dayUser, dayProject, dayEndpoint, hourUser, dayShadow, dayEndpointHist };
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
      // Only takes effect before the first write (a new file); must precede the switch to WAL.
      const pageSize = options.pageSize ?? 4096;
      if (!Number.isInteger(pageSize) || pageSize < 512 || pageSize > 65_536 || (pageSize & (pageSize - 1)) !== 0) {
        throw new RangeError('pageSize must be a power of two from 512 to 65536');
      }
      db.pragma(`page_size = ${pageSize}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      const checkpointPages = options.checkpointPages ?? 1000;
      if (!Number.isSafeInteger(checkpointPages) || checkpointPages < 0) throw new RangeError('checkpointPages must be a non-negative integer');
      db.pragma(`wal_autocheckpoint = ${checkpointPages}`);
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
        let version = this.pricingVersions.get(row);
        if (version === undefined) this.pricingVersions.set(row, (version = pricingVersionOf(row)));
        pricingVersion = version;
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
      promptTokens: tokens.promptTokens,
      completionTokens: tokens.completionTokens,
      cachedTokens: tokens.cachedTokens,
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
      this.names.forget(); // names added in the rolled-back transaction are gone
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
    return this.analytics.timeBounds();
  }

  /**
   * Gives the file's free pages back to the disk (SQLite `VACUUM`): pages freed by an upgrade that
   * rebuilt a table (v7 leaves the old request table's pages free, ~1/3 of a large file) or by
   * deleted rows are otherwise only reused by later writes. Rewrites the whole database, so it
   * needs about the file's size free on disk and blocks writers meanwhile; it is atomic — on a full
   * disk it fails with `LedgerStorageError` (DISK_FULL) and the ledger is left as it was.
   */
  compact(): { bytesBefore: number; bytesAfter: number; freePagesBefore: number } {
    this.assertOpen();
    this.flush();
    const bytes = () => (this.db.pragma('page_count', { simple: true }) as number) * (this.db.pragma('page_size', { simple: true }) as number);
    const bytesBefore = bytes();
    const freePagesBefore = this.db.pragma('freelist_count', { simple: true }) as number;
    try {
      this.db.exec('VACUUM');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (e) {
      throw LedgerStorageError.fromSqlite(e, 'compact') ?? e;
    }
    return { bytesBefore, bytesAfter: bytes(), freePagesBefore };
  }

  /** Number of stored requests (for tests and status screens). */
  count(): number {
    this.flush();
    return (this.db.prepare('SELECT COUNT(*) AS n FROM llm_requests_data').get() as { n: number }).n;
  }

  /** One stored request with its shadow costs, or undefined. */
  getRequest(requestId: string): LedgerRow | undefined {
    this.flush();
    // Read through the `llm_requests` view (it spells names and ids back), found by the key's rowid.
    const r = this.db.prepare(`SELECT request_id AS requestId, ts, user_id AS userId, project_id AS projectId, endpoint, provider,
      model, is_local AS isLocal, prompt_tokens AS promptTokens, completion_tokens AS completionTokens, cached_tokens AS cachedTokens,
      prompt_cost_micros AS promptCostMicros, completion_cost_micros AS completionCostMicros, total_cost_micros AS totalCostMicros,
      latency_ms AS latencyMs, status, error_code AS errorCode, attempt, parent_request_id AS parentRequestId, cache_hit AS cacheHit,
      grammar_hash AS grammarHash, schema_hash AS schemaHash, energy_mwh AS energyMwh, pricing_version AS pricingVersion,
      saved_micros AS savedMicros, shadow_costs AS shadowCosts FROM llm_requests
      WHERE rowid = (SELECT rowid FROM llm_requests_data WHERE request_id = ?)`).get(requestIdKey(requestId)) as
      | (DbRow & { shadowCosts: string | null })
      | undefined;
    if (r === undefined) return undefined;
    const { shadowCosts, ...row } = r;
    const shadow = shadowCosts === null ? [] : parseShadowJson(shadowCosts);
    return { ...row, isLocal: r.isLocal === 1, cacheHit: r.cacheHit === 1, shadow };
  }

  private assertOpen(): void {
    if (this.disposed) throw new AppError('INTERNAL', 'LedgerStore used after dispose()');
  }

  private writeRows(rows: LedgerRow[]): void {
    const batch = new RollupBatch();
    const ins = this.insertReq;
    const idBuf = this.idScratch;
    const parentBuf = this.parentScratch;
    const names = this.names;
    for (const r of rows) {
      ins.run(
        requestIdKey(r.requestId, idBuf), r.ts, names.idOf(r.userId), names.idOf(r.projectId), names.idOf(r.endpoint),
        names.idOf(r.provider), names.idOf(r.model), r.isLocal ? 1 : 0, r.promptTokens,
        r.completionTokens, r.cachedTokens, r.promptCostMicros, r.completionCostMicros, r.totalCostMicros, r.latencyMs,
        r.status, r.errorCode, r.attempt, r.parentRequestId === null ? null : requestIdKey(r.parentRequestId, parentBuf), r.cacheHit ? 1 : 0, r.grammarHash, r.schemaHash, r.energyMwh,
        r.pricingVersion === null ? null : names.idOf(r.pricingVersion), r.savedMicros, r.shadow.length === 0 ? null : shadowJson(r.shadow),
      );
      batch.add(r);
    }
    batch.writeTo(this.rollups);
  }
}

/**
 * The `shadow_costs` column (migration v6): a JSON object of integer µ$ by comparison model, e.g.
 * `{"gpt-4o":1250,"gpt-4o-mini":75}`. Built by hand (keys through JSON.stringify) so a model named
 * like an Object.prototype key stays an ordinary key.
 */
function shadowJson(shadow: LedgerRow['shadow']): string {
  let s = '{';
  for (let i = 0; i < shadow.length; i++) {
    if (i > 0) s += ',';
    s += `${JSON.stringify(shadow[i]!.model)}:${shadow[i]!.totalCostMicros}`;
  }
  return `${s}}`;
}

/** Inverse of {@link shadowJson}, ordered by model (the order `getRequest` has always returned). */
function parseShadowJson(json: string): LedgerRow['shadow'] {
  const o = JSON.parse(json) as Record<string, number>;
  return Object.keys(o)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((model) => ({ model, totalCostMicros: o[model]! }));
}
