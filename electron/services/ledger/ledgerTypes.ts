/** What a caller reports about one provider call. Only the identity, tokens and outcome are required. */
export interface LedgerRequestInput {
  /** uuid; generated when omitted (a time-ordered v7 uuid: see `uuidV7`). */
  requestId?: string;
  /** ms since epoch; default now. */
  ts?: number;
  /** Default `local`. */
  userId?: string;
  /** Default `default`. */
  projectId?: string;
  /** Feature that made the call: chat, extract, eval, embed, rerank, ... */
  endpoint: string;
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  /** Subset of promptTokens served from a provider prompt cache. Default 0. */
  cachedTokens?: number;
  latencyMs: number;
  status: 'ok' | 'error' | 'cancelled';
  errorCode?: string | null;
  /** 1-based; retries and fallbacks count up and point `parentRequestId` at the first attempt. */
  attempt?: number;
  parentRequestId?: string | null;
  /** Served from Hearth's response cache: nothing ran, so cost and energy are 0 and no shadow rows. */
  cacheHit?: boolean;
  grammarHash?: string | null;
  schemaHash?: string | null;
  /** Whether this ran on this machine. Default: provider is in the store's `localProviders`. */
  local?: boolean;
  /**
   * Cache hits only: what the miss would have cost, in µ$, as the caller priced it. For a cloud model with a known
   * price the ledger prices the hit itself (exact, at `ts`) and ignores this; local hits need it (the energy of the
   * original run). Ignored on non-hits.
   */
  savedMicros?: number | null;
}

/** A row as the `llm_requests` view shows it (camelCase), plus its shadow costs. */
export interface LedgerRow {
  requestId: string;
  ts: number;
  userId: string;
  projectId: string;
  endpoint: string;
  provider: string;
  model: string;
  isLocal: boolean;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  promptCostMicros: number;
  completionCostMicros: number;
  totalCostMicros: number;
  latencyMs: number;
  status: 'ok' | 'error' | 'cancelled';
  errorCode: string | null;
  attempt: number;
  parentRequestId: string | null;
  cacheHit: boolean;
  grammarHash: string | null;
  schemaHash: string | null;
  energyMwh: number | null;
  /** `source@validFrom` of the price row, the local cost model label, or null when unpriced. */
  pricingVersion: string | null;
  /** Cache hits: what the miss would have cost (µ$); null otherwise or when unpriced. */
  savedMicros: number | null;
  shadow: { model: string; totalCostMicros: number }[];
}

/** Half-open time window in ms; both ends optional. */
export interface TimeRange {
  since?: number;
  until?: number;
}
