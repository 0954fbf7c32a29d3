import path from 'node:path';
import type { CostAlert } from '../../../shared/schemas/costs.js';
import type { CacheSettings } from '../../../shared/schemas/settings.js';
import { ResponseCache, type CacheEmbedder, type CachePolicy } from '../../services/cache/index.js';
import { Micros, type LedgerAlert } from '../../services/ledger/index.js';
import { attachResponseCache } from '../createRequestPipeline.js';
import type { CoreServices } from './CoreServices.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface CostsFeatureOptions {
  /** How often the anomaly scan runs. Default hourly (it also runs once at start). */
  anomalyScanIntervalMs?: number;
  /** How far back a scan looks. Default 14 days: long enough for a user's normal hourly spend, short enough to stay fast. */
  anomalyWindowMs?: number;
  /** z-score above which an hour is an anomaly. Default 3. */
  anomalyZ?: number;
  /**
   * Enables the semantic layer of the response cache. The app passes the Documents feature's `LazyEmbedder`
   * (USE-Lite by default): it is not loaded at start — the first cacheable request that misses the exact layer loads
   * it (~1.7 s of CPU for USE-Lite), and the index shares the same instance. Default none: exact hits only.
   * Cost per cacheable miss: one embedding of the prompt (USE-Lite in its worker: 3.0 s for the first, loading, then
   * ~0.1–0.16 s median at load average 6.7 on this 2-core machine; the store reuses that vector). Exact hits embed
   * nothing. Constrained requests (extraction) are exact-only and embed nothing either (see `cacheKey`).
   */
  cacheEmbedder?: CacheEmbedder;
}

/** Settings → Cache as the cache's runtime policy. */
function cachePolicy(s: CacheSettings): CachePolicy {
  return { semanticEnabled: s.semanticEnabled, semanticThreshold: s.semanticThreshold, ttlMs: s.ttlHours * HOUR_MS };
}

/**
 * Owns the Costs screen's view of the ledger: alert delivery (`costs.alert` events), the scheduled anomaly scan and
 * the app's response cache.
 *
 * - Alerts: every alert the ledger stores (budget 80%/100%, anomaly) is pushed once as `costs.alert`; the ledger's
 *   UNIQUE constraint makes "once" hold across restarts and processes.
 * - Anomaly scan: at start and every `anomalyScanIntervalMs` (timer unref'ed, so it never keeps a CLI alive; cleared
 *   on dispose). A failing scan is logged and kept in `backgroundErrors` — it must not kill the app, and it must
 *   not vanish either.
 * - Response cache (`<dataDir>/response-cache.sqlite`): attached to the app's RequestPipeline, so cacheable requests
 *   (temperature 0 or a seed) are answered from it and recorded as cache hits with the money they saved. Budgets are
 *   checked before the cache, so a used-up budget blocks even a free hit. Threshold, TTL and the semantic switch
 *   follow Settings → Cache live (`settings.cache`).
 */
export class CostsFeature {
  private disposed = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly offAlert: () => void;
  private readonly offSettings: () => void;
  /** Errors of background scans, newest last (at most 10), for status screens and tests. */
  readonly backgroundErrors: unknown[] = [];

  private constructor(
    private readonly core: CoreServices,
    readonly cache: ResponseCache,
    private readonly options: Required<Omit<CostsFeatureOptions, 'cacheEmbedder'>>,
  ) {
    this.offAlert = core.ledger.onAlert((alert) => core.emit('costs.alert', CostsFeature.toCostAlert(alert)));
    this.offSettings = core.settings.onChange((s) => cache.setPolicy(cachePolicy(s.cache)));
  }

  static async create(core: CoreServices, options: CostsFeatureOptions = {}): Promise<CostsFeature> {
    const cache = await ResponseCache.open({
      file: path.join(core.dataDir, 'response-cache.sqlite'),
      ...(options.cacheEmbedder === undefined ? {} : { embedder: options.cacheEmbedder }),
      ...cachePolicy(core.settings.get().cache),
    });
    const feature = new CostsFeature(core, cache, {
      anomalyScanIntervalMs: options.anomalyScanIntervalMs ?? HOUR_MS,
      anomalyWindowMs: options.anomalyWindowMs ?? 14 * DAY_MS,
      anomalyZ: options.anomalyZ ?? 3,
    });
    attachResponseCache(core.pipeline, cache);
    feature.runScan();
    feature.timer = setInterval(() => feature.runScan(), feature.options.anomalyScanIntervalMs);
    feature.timer.unref();
    return feature;
  }

  /**
   * One anomaly scan over the window ending now; new anomalies become alerts (and `costs.alert` events). Returns the
   * alerts that were new. The window starts at the first request when the ledger is younger than the window, so a
   * fresh install's first busy hour is not compared with days of "zero spend" before it existed.
   */
  scanAnomalies(now: number = Date.now()): LedgerAlert[] {
    this.assertOpen();
    const bounds = this.core.ledger.timeBounds();
    if (bounds === null) return [];
    const since = Math.max(bounds.first, now - this.options.anomalyWindowMs);
    return this.core.ledger.scanAnomalies({ since, until: Math.max(now, bounds.last + 1), zThreshold: this.options.anomalyZ }).newAlerts;
  }

  /**
   * Documents changed or were deleted: drops the cached answers built from them (entries stored with those docIds)
   * and, given the corpus version now in force, every entry built on an older corpus version (grounded chat keys its
   * entries on the version; they could never hit again). The Documents feature persists its version, so entries of
   * the version in force survive a restart; if that file is lost the version restarts at 0 and this drops the
   * entries of later versions, which would otherwise describe another corpus. Returns the number of entries removed.
   */
  invalidateDocuments(ids: readonly string[], currentCorpusVersion?: string): number {
    this.assertOpen();
    let removed = 0;
    for (const id of new Set(ids)) removed += this.cache.invalidateByDocument(id);
    if (currentCorpusVersion !== undefined) removed += this.cache.invalidateCorpus(currentCorpusVersion);
    return removed;
  }

  /** Ledger alert → the contract's shape (exact USD strings beside the µ$). */
  static toCostAlert(a: LedgerAlert): CostAlert {
    return {
      ...a,
      spentUsd: Micros.formatUsd(a.spentMicros),
      limitUsd: a.limitMicros === null ? null : Micros.formatUsd(a.limitMicros),
    };
  }

  /** Idempotent: stops the scan, detaches and closes the cache. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.offAlert();
    this.offSettings();
    attachResponseCache(this.core.pipeline, null);
    await this.cache.dispose();
  }

  private runScan(): void {
    if (this.disposed) return;
    try {
      this.scanAnomalies();
    } catch (error) {
      this.backgroundErrors.push(error);
      if (this.backgroundErrors.length > 10) this.backgroundErrors.shift();
      console.error('[costs] anomaly scan failed', error);
    }
  }

  private assertOpen(): void {
    if (this.disposed) throw new Error('CostsFeature used after dispose()');
  }
}
