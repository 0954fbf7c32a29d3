import type { ResponseCache } from '../services/cache/index.js';
import type { LedgerStore } from '../services/ledger/index.js';
import { RequestPipeline, type BudgetGate, type Pricer, type RequestPipelineOptions, type RequestRecorder } from '../services/routing/index.js';

/** The options object each pipeline built here reads on every call (so a cache can be attached after creation). */
const optionsOf = new WeakMap<RequestPipeline, RequestPipelineOptions>();

/**
 * Binds the routing service's narrow interfaces to the ledger: every attempt (and cache hit) becomes a ledger
 * row, budgets are checked before any provider is called, and attempts are priced from the versioned price
 * table. This is the one instrumented path every generation of the app goes through.
 */
export function createRequestPipeline(ledger: LedgerStore): RequestPipeline {
  const recorder: RequestRecorder = {
    record: (row) => {
      ledger.recordRequest({
        requestId: row.requestId,
        ts: row.ts,
        userId: row.userId,
        ...(row.projectId === null ? {} : { projectId: row.projectId }),
        endpoint: row.endpoint,
        provider: row.provider,
        model: row.model,
        promptTokens: row.promptTokens,
        completionTokens: row.completionTokens,
        cachedTokens: row.cachedTokens,
        latencyMs: Math.round(row.latencyMs),
        status: row.status,
        errorCode: row.errorCode,
        attempt: row.attempt,
        parentRequestId: row.parentRequestId,
        cacheHit: row.cacheHit,
        grammarHash: row.grammarHash,
        schemaHash: row.schemaHash,
        // a hit's costMicros is what the miss would have cost; the ledger prices cloud hits itself and uses this for local ones
        savedMicros: row.cacheHit ? (row.costMicros ?? null) : null,
      });
    },
  };
  const budget: BudgetGate = {
    check: (e) => {
      ledger.checkBudget({
        userId: e.userId,
        ...(e.projectId === null ? {} : { projectId: e.projectId }),
        estimateMicros: ledger.estimate({ model: e.model, provider: e.provider, promptTokens: e.promptTokens, maxCompletionTokens: e.maxCompletionTokens }),
      });
    },
  };
  const pricer: Pricer = {
    costMicros: (model, promptTokens, completionTokens, cachedTokens) => {
      try {
        return ledger.costOf({ model, promptTokens, completionTokens, cachedTokens }).totalMicros;
      } catch {
        return null; // unpriced model (local, or not in the price table)
      }
    },
    // a local hit saves what its original run cost (energy + amortisation at the current Settings figures)
    runCostMicros: (provider, model, latencyMs) =>
      ledger.isLocalProvider(provider)
        ? ledger.price({ endpoint: 'cache', provider, model, promptTokens: 0, completionTokens: 0, latencyMs, status: 'ok' }).totalCostMicros
        : null,
  };
  const options: RequestPipelineOptions = { recorder, budget, pricer };
  const pipeline = new RequestPipeline(options);
  optionsOf.set(pipeline, options);
  return pipeline;
}

/**
 * Attaches (or, with null, detaches) the response cache of a pipeline made by `createRequestPipeline`. The cache is
 * opened later than the pipeline (by the Costs feature, once the app's core exists), and `RequestPipeline` reads
 * `options.cache` per call, so the next `generate` sees it. The caller keeps ownership (and disposes it after
 * detaching). Throws for a pipeline built elsewhere.
 */
export function attachResponseCache(pipeline: RequestPipeline, cache: ResponseCache | null): void {
  const options = optionsOf.get(pipeline);
  if (options === undefined) throw new TypeError('attachResponseCache: this pipeline was not made by createRequestPipeline');
  if (cache === null) delete options.cache;
  else options.cache = cache;
}
