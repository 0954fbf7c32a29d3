import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { LedgerRow } from './ledgerTypes.js';

/** The Prometheus instruments the ledger updates after each committed request. */
export interface LedgerMetrics {
  readonly registry: Registry;
  /** Called by the store after a commit; never throws into the request path. */
  observe(row: LedgerRow): void;
  /** Rows `track()` has queued but not yet committed (write-behind). */
  setPendingRows(n: number): void;
  /** Prometheus text exposition of the whole registry (serve it on loopback `/metrics`). */
  metricsText(): Promise<string>;
}

/**
 * Registers `hearth_llm_*` instruments on `registry`:
 * - `hearth_llm_requests_total{provider,model,endpoint,status,cache}` counter
 * - `hearth_llm_tokens_total{provider,model,type=prompt|completion|cached}` counter
 * - `hearth_llm_cost_usd_total{provider,model,type=prompt|completion|shadow:<model>}` counter, USD
 *   (Prometheus counters are floats; the exact figures live in SQLite)
 * - `hearth_llm_energy_wh_total{model}` counter for local runs
 * - `hearth_llm_request_latency_seconds{provider,model,status}` histogram
 * - `hearth_llm_request_cost_usd{provider,model}` histogram (1 µ$ … $10 buckets)
 * - `hearth_ledger_pending_rows` gauge: tracked rows awaiting their group commit
 * Labels are bounded by the number of models/endpoints, never by user or request id.
 */
export function createLedgerMetrics(registry: Registry): LedgerMetrics {
  const requests = new Counter({
    name: 'hearth_llm_requests_total',
    help: 'LLM requests recorded in the cost ledger',
    labelNames: ['provider', 'model', 'endpoint', 'status', 'cache'] as const,
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'hearth_llm_tokens_total',
    help: 'Tokens by type',
    labelNames: ['provider', 'model', 'type'] as const,
    registers: [registry],
  });
  const cost = new Counter({
    name: 'hearth_llm_cost_usd_total',
    help: 'Cost in USD by component; type="shadow:<model>" is what the same tokens would cost there',
    labelNames: ['provider', 'model', 'type'] as const,
    registers: [registry],
  });
  const energy = new Counter({
    name: 'hearth_llm_energy_wh_total',
    help: 'Estimated device energy of local runs, Wh',
    labelNames: ['model'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'hearth_llm_request_latency_seconds',
    help: 'Request wall time',
    labelNames: ['provider', 'model', 'status'] as const,
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const costHist = new Histogram({
    name: 'hearth_llm_request_cost_usd',
    help: 'Cost per request, USD',
    labelNames: ['provider', 'model'] as const,
    buckets: [0.000001, 0.00001, 0.0001, 0.001, 0.01, 0.1, 1, 10],
    registers: [registry],
  });
  const pending = new Gauge({
    name: 'hearth_ledger_pending_rows',
    help: 'Tracked requests queued for the next ledger commit',
    registers: [registry],
  });
  return {
    registry,
    setPendingRows: (n) => pending.set(n),
    observe(r) {
      const pm = { provider: r.provider, model: r.model };
      requests.inc({ ...pm, endpoint: r.endpoint, status: r.status, cache: r.cacheHit ? 'hit' : 'miss' });
      if (r.promptTokens > 0) tokens.inc({ ...pm, type: 'prompt' }, r.promptTokens);
      if (r.completionTokens > 0) tokens.inc({ ...pm, type: 'completion' }, r.completionTokens);
      if (r.cachedTokens > 0) tokens.inc({ ...pm, type: 'cached' }, r.cachedTokens);
      if (r.promptCostMicros > 0) cost.inc({ ...pm, type: 'prompt' }, r.promptCostMicros / 1e6);
      if (r.completionCostMicros > 0) cost.inc({ ...pm, type: 'completion' }, r.completionCostMicros / 1e6);
      for (const s of r.shadow) if (s.totalCostMicros > 0) cost.inc({ ...pm, type: `shadow:${s.model}` }, s.totalCostMicros / 1e6);
      if (r.energyMwh !== null && r.energyMwh > 0) energy.inc({ model: r.model }, r.energyMwh / 1000);
      latency.observe({ ...pm, status: r.status }, r.latencyMs / 1000);
      costHist.observe(pm, r.totalCostMicros / 1e6);
    },
    metricsText: () => registry.metrics(),
  };
}
