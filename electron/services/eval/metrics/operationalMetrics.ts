import { AppError } from '../../../../shared/errors.js';
import type { MetricResult } from './MetricResult.js';

/** Latency passthrough: score is the latency in ms; passes when ≤ `maxMs` (default: always). */
export function latencyMetric(latencyMs: number, options: { maxMs?: number } = {}): MetricResult {
  if (!(latencyMs >= 0)) throw new RangeError(`latency must be a non-negative number, got ${latencyMs}`);
  const pass = options.maxMs === undefined || latencyMs <= options.maxMs;
  return { metric: 'latency-ms', pass, score: latencyMs, ...(pass ? {} : { reason: `${latencyMs} ms > ${options.maxMs} ms` }) };
}

/** What the cost metric needs from a ledger row (the ledger stores integer micro-dollars). */
export type LedgerCostRow = { costMicros: number };
export type LedgerLookup = (requestId: string) => LedgerCostRow | undefined | Promise<LedgerCostRow | undefined>;

/** An eval case refers to a ledger request that is not there (the call was not recorded). */
export class LedgerRowMissingError extends AppError {
  constructor(readonly requestId: string) {
    super('NOT_FOUND', `No ledger entry for request "${requestId}"; the call was not recorded, so its cost is unknown.`, {
      details: { requestId },
      retryable: false,
    });
  }
}

/**
 * Cost of one case from the ledger: score = cost in USD (micros / 1e6), passing when ≤ `maxUsd`.
 * The lookup is injected (e.g. a LedgerStore query) so metrics stay free of storage. A missing row
 * throws `LedgerRowMissingError` rather than scoring $0, which would flatter the run.
 */
export async function costMetric(requestId: string, lookup: LedgerLookup, options: { maxUsd?: number } = {}): Promise<MetricResult> {
  const row = await lookup(requestId);
  if (!row) throw new LedgerRowMissingError(requestId);
  const usd = row.costMicros / 1e6;
  const pass = options.maxUsd === undefined || usd <= options.maxUsd;
  return { metric: 'cost-usd', pass, score: usd, ...(pass ? {} : { reason: `$${usd} > $${options.maxUsd}` }) };
}
