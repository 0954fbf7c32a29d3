import type { LedgerStore } from '../services/ledger/index.js';
import { RequestPipeline, type BudgetGate, type Pricer, type RequestRecorder } from '../services/routing/index.js';

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
  };
  return new RequestPipeline({ recorder, budget, pricer });
}
