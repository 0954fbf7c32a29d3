import { z } from 'zod';
import { channel } from './defineContract.js';
import {
  AnomalyQuery, BudgetKey, BudgetStatus, CostAlert, CostAnomaly, CostRange, CostSummary, EndpointCost, ExpensiveRequest,
  ExportInput, LocalVsCloud, PriceEntry, PriceInput, RangeWithLimit, ResponseCacheStats, UsdInput, UserCost,
} from '../schemas/costs.js';

/**
 * The cost ledger as the Costs screen sees it: reports, budgets, alerts, prices, local-vs-cloud, export.
 * Spread into `channels`/`events` of `contract.ts`; one module per feature keeps the contract easy to read.
 */
export const costsChannels = {
  'costs.summary': channel(
    CostRange,
    CostSummary,
    'Totals, spend per UTC day and model, per provider and per model over a time range (cache hits and savings included).',
  ),
  'costs.byUser': channel(RangeWithLimit, z.object({ users: z.array(UserCost) }), 'The top N users by spend over a range.'),
  'costs.byEndpoint': channel(
    CostRange,
    z.object({ endpoints: z.array(EndpointCost) }),
    'Spend per endpoint (chat, extract, eval…) with mean and nearest-rank p95 cost per request.',
  ),
  'costs.expensive': channel(RangeWithLimit, z.object({ requests: z.array(ExpensiveRequest) }), 'The most expensive single requests over a range.'),
  'costs.anomalies': channel(
    AnomalyQuery,
    z.object({ anomalies: z.array(CostAnomaly) }),
    'User-hours whose spend is more than zThreshold standard deviations above that user\'s hourly mean.',
  ),
  'costs.localVsCloud': channel(
    z.object({}).strict(),
    LocalVsCloud,
    'This month\'s local usage priced on each comparison cloud model, next to its local energy cost.',
  ),
  'costs.budgets.list': channel(z.object({}).strict(), z.object({ budgets: z.array(BudgetStatus) }), 'Every budget with its spend in the current period.'),
  'costs.budgets.set': channel(
    BudgetKey.extend({ limitUsd: UsdInput }).strict(),
    BudgetStatus,
    'Set or replace a daily/monthly limit for a user or project. A used-up budget refuses further requests (even local ones).',
  ),
  'costs.budgets.remove': channel(BudgetKey, z.object({ removed: z.boolean() }), 'Remove a budget.'),
  'costs.alerts.list': channel(
    z.object({ since: z.number().int().optional(), openOnly: z.boolean().default(false) }).strict(),
    z.object({ alerts: z.array(CostAlert) }),
    'Budget (80%/100%) and anomaly alerts, newest first.',
  ),
  'costs.alerts.acknowledge': channel(
    z.object({ ids: z.array(z.number().int()).min(1).max(1000) }).strict(),
    z.object({ acknowledged: z.number().int().nonnegative() }),
    'Mark alerts as seen.',
  ),
  'costs.prices.list': channel(z.object({}).strict(), z.object({ prices: z.array(PriceEntry) }), 'The price of every model in force now.'),
  'costs.prices.set': channel(
    PriceInput,
    z.object({ changed: z.boolean(), price: PriceEntry }),
    'Set a model\'s price from now on (the previous price stays in force for older requests).',
  ),
  'costs.prices.importLitellm': channel(
    z.object({ json: z.string().min(2).max(50_000_000) }).strict(),
    z.object({
      imported: z.number().int(),
      unchanged: z.number().int(),
      skipped: z.number().int(),
      inexact: z.array(z.string()),
    }),
    'Import prices from the text of LiteLLM\'s model_prices_and_context_window.json.',
  ),
  'costs.export': channel(
    ExportInput,
    z.object({ format: z.enum(['csv', 'json']), rows: z.number().int().nonnegative(), filename: z.string(), text: z.string() }),
    'Every ledger row in a range as CSV (RFC 4180) or JSON text, amounts in integer µ$.',
  ),
  'costs.cacheStats': channel(
    CostRange,
    ResponseCacheStats,
    'Response cache: live entries, exact/semantic hits and misses, and over the range the ledger\'s hit rate and money saved.',
  ),
  'costs.clearCache': channel(
    z.object({}).strict(),
    z.object({ removed: z.number().int().nonnegative() }),
    'Delete every cached answer (hit counters and the ledger\'s savings history stay).',
  ),
} as const;

export const costsEvents = {
  /** A budget crossed 80%/100% or an anomaly was found (pushed to every UI; main may show a desktop notification). */
  'costs.alert': CostAlert,
} as const;
