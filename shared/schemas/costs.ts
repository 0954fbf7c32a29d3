import { z } from 'zod';

/**
 * Shapes of the Costs feature. Money crosses the boundary as integer micro-dollars (`…Micros`, exact, for sums and
 * charts) plus the exact decimal USD string (`…Usd`, "0.004200", for display): the renderer never does money maths
 * in floats. Times are ms since epoch; days and periods are UTC.
 */

/** Integer micro-dollars (1e-6 USD). */
export const MicrosInt = z.number().int();
/** Exact USD with 6 decimals, as `Micros.formatUsd` writes it: "1.234567", "-0.000005". */
export const UsdString = z.string().regex(/^-?\d+\.\d{6}$/);
/** A dollar amount typed by a user: plain non-negative decimal, at most 6 decimals ("5", "0.25", "0.000001"). */
export const UsdInput = z.string().trim().regex(/^\d{1,9}(\.\d{1,6})?$/, 'a dollar amount like 5 or 0.25 (at most 6 decimals)');
/** Price typed by a user, USD per 1M tokens: up to 6 decimals (exact in µ$/1M). */
export const UsdPer1MInput = z.string().trim().regex(/^\d{1,9}(\.\d{1,6})?$/, 'USD per 1M tokens, like 2.5 (at most 6 decimals)');

const Ms = z.number().int();

/** Half-open [since, until) in ms; both optional (open-ended). */
export const CostRange = z
  .object({ since: Ms.optional(), until: Ms.optional() })
  .strict()
  .refine((r) => r.since === undefined || r.until === undefined || r.since < r.until, { message: 'since must be before until' });
export type CostRange = z.infer<typeof CostRange>;

const RangeFields = { since: Ms.optional(), until: Ms.optional() };
const sinceBeforeUntil = (r: { since?: number; until?: number }) => r.since === undefined || r.until === undefined || r.since < r.until;

export const CostTotals = z.object({
  requests: z.number().int().nonnegative(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  costMicros: MicrosInt,
  costUsd: UsdString,
  avgLatencyMs: z.number().nonnegative(),
});

export const DayModelPoint = z.object({
  /** YYYY-MM-DD (UTC). */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  model: z.string(),
  provider: z.string(),
  requests: z.number().int().nonnegative(),
  costMicros: MicrosInt,
});

export const ProviderTotals = CostTotals.extend({
  provider: z.string(),
  /** Runs on this machine (cost = energy), as opposed to a cloud API. */
  local: z.boolean(),
});

export const ModelTotals = CostTotals.extend({ model: z.string(), provider: z.string(), local: z.boolean() });

export const CostSummary = z.object({
  range: z.object({ since: Ms.nullable(), until: Ms.nullable() }),
  totals: CostTotals.extend({
    /** Response-cache hits: they cost nothing; `savedMicros` is what the misses would have cost. */
    cacheHits: z.number().int().nonnegative(),
    savedMicros: MicrosInt,
    savedUsd: UsdString,
  }),
  byDayModel: z.array(DayModelPoint),
  byProvider: z.array(ProviderTotals),
  byModel: z.array(ModelTotals),
});
export type CostSummary = z.infer<typeof CostSummary>;

export const UserCost = CostTotals.extend({ userId: z.string() });
export const EndpointCost = CostTotals.extend({
  endpoint: z.string(),
  avgCostMicros: z.number(),
  avgCostUsd: UsdString,
  /** Nearest-rank p95 of per-request cost: an actual request's exact cost. */
  p95CostMicros: MicrosInt,
  p95CostUsd: UsdString,
});

export const ExpensiveRequest = z.object({
  requestId: z.string(),
  ts: Ms,
  userId: z.string(),
  projectId: z.string(),
  endpoint: z.string(),
  provider: z.string(),
  model: z.string(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  costMicros: MicrosInt,
  costUsd: UsdString,
  status: z.enum(['ok', 'error', 'cancelled']),
});

export const CostAnomaly = z.object({
  userId: z.string(),
  /** Start of the UTC hour. */
  hourStart: Ms,
  spentMicros: MicrosInt,
  spentUsd: UsdString,
  meanMicros: z.number(),
  stddevMicros: z.number(),
  z: z.number(),
});

export const CloudComparison = z.object({
  model: z.string(),
  /** False when no price is known for this model: import prices (LiteLLM file) or set one. */
  priced: z.boolean(),
  costMicros: MicrosInt.nullable(),
  costUsd: UsdString.nullable(),
  /** cloud − local; negative when local was the more expensive choice. */
  savingsMicros: MicrosInt.nullable(),
  savingsUsd: UsdString.nullable(),
});

export const LocalVsCloud = z.object({
  period: z.object({ since: Ms, until: Ms }),
  local: z.object({
    requests: z.number().int().nonnegative(),
    promptTokens: z.number().int().nonnegative(),
    completionTokens: z.number().int().nonnegative(),
    /** Energy (+ hardware amortisation when configured) of the local runs. */
    costMicros: MicrosInt,
    costUsd: UsdString,
    energyWh: z.number().nonnegative(),
  }),
  comparisons: z.array(CloudComparison),
  /** The cost model used for local runs. */
  power: z.object({ watts: z.number(), usdPerKwh: z.number() }),
});
export type LocalVsCloud = z.infer<typeof LocalVsCloud>;

export const BudgetScope = z.enum(['user', 'project']);
export const BudgetPeriod = z.enum(['day', 'month']);

export const BudgetKey = z.object({ scope: BudgetScope, scopeId: z.string().trim().min(1).max(200), period: BudgetPeriod }).strict();

export const BudgetStatus = z.object({
  scope: BudgetScope,
  scopeId: z.string(),
  period: BudgetPeriod,
  limitMicros: MicrosInt,
  limitUsd: UsdString,
  spentMicros: MicrosInt,
  spentUsd: UsdString,
  /** spent / limit × 100, floored; 100+ when used up (a $0 budget with no spend reports 100). */
  usedPct: z.number().int().nonnegative(),
  periodStart: Ms,
  periodEnd: Ms,
  /** Requests in this scope are refused until the period ends. */
  exhausted: z.boolean(),
});
export type BudgetStatus = z.infer<typeof BudgetStatus>;

export const CostAlert = z.object({
  id: z.number().int(),
  ts: Ms,
  kind: z.enum(['budget', 'anomaly']),
  scope: z.string(),
  scopeId: z.string(),
  period: z.string(),
  periodStart: Ms,
  thresholdPct: z.number().int(),
  spentMicros: MicrosInt,
  spentUsd: UsdString,
  limitMicros: MicrosInt.nullable(),
  limitUsd: UsdString.nullable(),
  message: z.string(),
  acknowledgedAt: Ms.nullable(),
});
export type CostAlert = z.infer<typeof CostAlert>;

export const PriceEntry = z.object({
  model: z.string(),
  provider: z.string(),
  inputPer1MMicros: MicrosInt,
  outputPer1MMicros: MicrosInt,
  cachedInputPer1MMicros: MicrosInt.nullable(),
  /** USD per 1M tokens, exact. */
  inputUsdPer1M: UsdString,
  outputUsdPer1M: UsdString,
  cachedInputUsdPer1M: UsdString.nullable(),
  validFrom: Ms,
  source: z.string(),
});

export const PriceInput = z
  .object({
    model: z.string().trim().min(1).max(200),
    provider: z.string().trim().min(1).max(100),
    inputUsdPer1M: UsdPer1MInput,
    outputUsdPer1M: UsdPer1MInput,
    cachedInputUsdPer1M: UsdPer1MInput.nullable().default(null),
  })
  .strict();

export const ExportInput = z
  .object({ format: z.enum(['csv', 'json']), ...RangeFields })
  .strict()
  .refine(sinceBeforeUntil, { message: 'since must be before until' });

export const RangeWithLimit = z
  .object({ ...RangeFields, limit: z.number().int().min(1).max(100).default(10) })
  .strict()
  .refine(sinceBeforeUntil, { message: 'since must be before until' });

export const AnomalyQuery = z
  .object({ ...RangeFields, zThreshold: z.number().min(1).max(20).default(3) })
  .strict()
  .refine(sinceBeforeUntil, { message: 'since must be before until' });

/**
 * The response cache as Settings shows it. `lookups` are the cache's own counters (since the cache file was created;
 * kept by Clear cache); `ledger` is what the ledger recorded over the requested range: the share of all recorded
 * requests that the cache answered, and the money those hits saved (what the misses would have cost).
 */
export const ResponseCacheStats = z.object({
  /** Live (unexpired) entries. */
  entries: z.number().int().nonnegative(),
  lookups: z.object({
    exactHits: z.number().int().nonnegative(),
    semanticHits: z.number().int().nonnegative(),
    misses: z.number().int().nonnegative(),
    /** Paraphrases above the threshold refused because numbers, negations or quoted strings differed (counted as misses). */
    semanticGuarded: z.number().int().nonnegative(),
    /** hits / (hits + misses); 0 before any lookup. */
    hitRate: z.number().min(0).max(1),
  }),
  ledger: z.object({
    range: z.object({ since: Ms.nullable(), until: Ms.nullable() }),
    requests: z.number().int().nonnegative(),
    cacheHits: z.number().int().nonnegative(),
    /** cacheHits / requests over the range; 0 without requests. */
    hitRate: z.number().min(0).max(1),
    savedMicros: MicrosInt,
    savedUsd: UsdString,
  }),
  /** Whether paraphrases can be served now (an embedder is attached and Settings → semantic is on). */
  semanticActive: z.boolean(),
  /** The embedder that compares prompts (e.g. "use-lite"), null when the cache is exact-only. */
  embedderId: z.string().nullable(),
  /** The last failure of the semantic layer (the cache then serves exact hits only), null when it works. */
  lastSemanticError: z.string().nullable(),
});
export type ResponseCacheStats = z.infer<typeof ResponseCacheStats>;
