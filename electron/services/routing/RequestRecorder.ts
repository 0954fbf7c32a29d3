/** One ledger row as the pipeline reports it: one per ATTEMPT, and one per cache hit. */
export interface RecordedRequest {
  /** Unique per attempt. */
  requestId: string;
  /** The first attempt's id for retries and fallbacks; null on the first attempt and on cache hits. */
  parentRequestId: string | null;
  /** 1-based, counting across the whole fallback chain. */
  attempt: number;
  /** ms since epoch when the attempt started. */
  ts: number;
  userId: string;
  projectId: string | null;
  endpoint: string;
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  latencyMs: number;
  status: 'ok' | 'error' | 'cancelled';
  errorCode: string | null;
  cacheHit: boolean;
  grammarHash: string | null;
  schemaHash: string | null;
  /**
   * Exact micro-dollars from the Pricer; undefined when unpriced. On a cache hit this is the cost the miss
   * WOULD have had (money saved) — the ledger must not count it as spend.
   */
  costMicros?: number;
}

/**
 * The narrow slice of the ledger the request pipeline needs (the lead adapts `LedgerStore` to it).
 * `record` is synchronous and must not throw for a well-formed row; if it does, the pipeline lets the error
 * propagate (a request that cannot be accounted for is a failure, not something to hide).
 */
export interface RequestRecorder {
  /** One row per ATTEMPT (and per cache hit). */
  record(row: RecordedRequest): void;
}
