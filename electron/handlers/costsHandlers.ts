import { costsChannels } from '../../shared/contract/costsContract.js';
import type { ChannelOutput } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import { Micros, periodBounds, type Budget, type LedgerStore, type PriceRow, type Totals } from '../services/ledger/index.js';
import type { AppServices } from './AppServices.js';
import { CostsFeature } from './features/CostsFeature.js';
import type { HandlersFor, HandlerEnvironment } from './createHandlers.js';

const usd = (micros: number): string => Micros.formatUsd(Math.round(micros));

function totalsView(t: Totals) {
  return {
    requests: t.requests,
    promptTokens: t.promptTokens,
    completionTokens: t.completionTokens,
    costMicros: t.costMicros,
    costUsd: usd(t.costMicros),
    avgLatencyMs: t.avgLatencyMs,
  };
}

function priceView(p: PriceRow): ChannelOutput<'costs.prices.list'>['prices'][number] {
  return {
    model: p.model,
    provider: p.provider,
    inputPer1MMicros: p.inputPer1M,
    outputPer1MMicros: p.outputPer1M,
    cachedInputPer1MMicros: p.cachedInputPer1M,
    inputUsdPer1M: usd(p.inputPer1M),
    outputUsdPer1M: usd(p.outputPer1M),
    cachedInputUsdPer1M: p.cachedInputPer1M === null ? null : usd(p.cachedInputPer1M),
    validFrom: p.validFrom,
    source: p.source,
  };
}

function budgetView(ledger: LedgerStore, b: Budget, now: number): ChannelOutput<'costs.budgets.set'> {
  const { start, end } = periodBounds(b.period, now);
  const spentMicros = ledger.budgets.spent(b.scope, b.scopeId, b.period, now);
  const exhausted = spentMicros >= b.limitMicros;
  return {
    ...b,
    limitUsd: usd(b.limitMicros),
    spentUsd: usd(spentMicros),
    spentMicros,
    usedPct: b.limitMicros === 0 ? (exhausted ? 100 : 0) : Math.floor((spentMicros * 100) / b.limitMicros),
    periodStart: start,
    periodEnd: end,
    exhausted,
  };
}

/** First instant of the current UTC month. */
function monthStart(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/**
 * Handlers of the Costs feature's channels (see `shared/contract/costsContract.ts`): thin mappings from the ledger's
 * reports to the contract's shapes, money as exact µ$ integers plus exact USD strings.
 */
export function createCostsHandlers(services: AppServices, _env: HandlerEnvironment): HandlersFor<keyof typeof costsChannels> {
  const ledger = services.ledger;
  const a = ledger.analytics;
  return {
    'costs.summary': async (range) => {
      ledger.flush(); // write-behind rows of this turn count
      const byDayModel = a.byDayModel(range);
      const byModel = a.byModel(range);
      const savings = a.cacheSavings(range);
      const providers = new Map<string, Totals>();
      const zero = (): Totals => ({ requests: 0, promptTokens: 0, completionTokens: 0, cachedTokens: 0, costMicros: 0, latencySumMs: 0, avgLatencyMs: 0 });
      const total = zero();
      for (const m of byModel) {
        const p = providers.get(m.provider) ?? zero();
        for (const t of [p, total]) {
          t.requests += m.requests;
          t.promptTokens += m.promptTokens;
          t.completionTokens += m.completionTokens;
          t.cachedTokens += m.cachedTokens;
          t.costMicros += m.costMicros;
          t.latencySumMs += m.latencySumMs;
        }
        providers.set(m.provider, p);
      }
      const withAvg = (t: Totals): Totals => ({ ...t, avgLatencyMs: t.requests === 0 ? 0 : t.latencySumMs / t.requests });
      return {
        range: { since: range.since ?? null, until: range.until ?? null },
        totals: { ...totalsView(withAvg(total)), cacheHits: savings.hits, savedMicros: savings.savedMicros, savedUsd: usd(savings.savedMicros) },
        byDayModel: byDayModel.map((r) => ({ day: r.day, model: r.model, provider: r.provider, requests: r.requests, costMicros: r.costMicros })),
        byProvider: [...providers.entries()]
          .map(([provider, t]) => ({ provider, local: ledger.isLocalProvider(provider), ...totalsView(withAvg(t)) }))
          .sort((x, y) => y.costMicros - x.costMicros || y.requests - x.requests || (x.provider < y.provider ? -1 : 1)),
        byModel: byModel.map((m) => ({ model: m.model, provider: m.provider, local: ledger.isLocalProvider(m.provider), ...totalsView(m) })),
      };
    },
    'costs.byUser': async ({ limit, ...range }) => {
      ledger.flush();
      return { users: a.byUser({ ...range, limit }).map((u) => ({ userId: u.userId, ...totalsView(u) })) };
    },
    'costs.byEndpoint': async (range) => {
      ledger.flush();
      return {
        endpoints: a.byEndpoint(range).map((e) => ({
          endpoint: e.endpoint,
          ...totalsView(e),
          avgCostMicros: e.avgCostMicros,
          avgCostUsd: usd(e.avgCostMicros),
          p95CostMicros: e.p95CostMicros,
          p95CostUsd: usd(e.p95CostMicros),
        })),
      };
    },
    'costs.expensive': async ({ limit, ...range }) => {
      ledger.flush();
      return {
        requests: a.mostExpensive({ ...range, limit }).map(({ totalCostMicros, ...r }) => ({ ...r, costMicros: totalCostMicros, costUsd: usd(totalCostMicros) })),
      };
    },
    'costs.anomalies': async ({ zThreshold, since, until }) => {
      // The window starts no earlier than the first request: hours before the ledger existed are not "zero spend",
      // and counting them would flag a fresh install's first busy hour.
      const bounds = ledger.timeBounds();
      if (bounds === null) return { anomalies: [] };
      const from = Math.max(since ?? bounds.first, bounds.first);
      return {
        anomalies: a.anomalies({ since: from, ...(until === undefined ? {} : { until }), zThreshold }).map((x) => ({ ...x, spentUsd: usd(x.spentMicros) })),
      };
    },
    'costs.localVsCloud': async () => {
      ledger.flush();
      const now = Date.now();
      const since = monthStart(now);
      const local = a.byModel({ since, until: now + 1 }).filter((m) => ledger.isLocalProvider(m.provider));
      const sum = { requests: 0, promptTokens: 0, completionTokens: 0, costMicros: 0, latencySumMs: 0 };
      for (const m of local) {
        sum.requests += m.requests;
        sum.promptTokens += m.promptTokens;
        sum.completionTokens += m.completionTokens;
        sum.costMicros += m.costMicros;
        sum.latencySumMs += m.latencySumMs;
      }
      const watts = Number(ledger.localCost.milliwatts) / 1000;
      const comparisons = services.settings.get().comparisonModels.map((model) => {
        const rate = ledger.prices.rateAt(model, now);
        if (rate === undefined) return { model, priced: false, costMicros: null, costUsd: null, savingsMicros: null, savingsUsd: null };
        // today's price for this month's tokens: "what would the same work cost on that model now"
        const cost = ledger.prices.costOf({ model, promptTokens: sum.promptTokens, completionTokens: sum.completionTokens, at: now }).totalMicros;
        return { model, priced: true, costMicros: cost, costUsd: usd(cost), savingsMicros: cost - sum.costMicros, savingsUsd: usd(cost - sum.costMicros) };
      });
      return {
        period: { since, until: now },
        local: {
          requests: sum.requests,
          promptTokens: sum.promptTokens,
          completionTokens: sum.completionTokens,
          costMicros: sum.costMicros,
          costUsd: usd(sum.costMicros),
          // from summed wall time × device power (per-request rounding to mWh is skipped: this is a display figure)
          energyWh: (watts * sum.latencySumMs) / 3_600_000,
        },
        comparisons,
        power: { watts, usdPerKwh: Number(ledger.localCost.microsPerKwh) / 1e6 },
      };
    },
    'costs.budgets.list': async () => {
      ledger.flush();
      const now = Date.now();
      return { budgets: ledger.budgets.listBudgets().map((b) => budgetView(ledger, b, now)) };
    },
    'costs.budgets.set': async ({ scope, scopeId, period, limitUsd }) => {
      const b = ledger.setBudget({ scope, scopeId, period, limitUsd });
      ledger.flush();
      return budgetView(ledger, b, Date.now());
    },
    'costs.budgets.remove': async ({ scope, scopeId, period }) => ({ removed: ledger.budgets.removeBudget(scope, scopeId, period) }),
    'costs.alerts.list': async ({ since, openOnly }) => ({
      alerts: ledger.budgets.listAlerts(since ?? 0, { openOnly }).reverse().map((x) => CostsFeature.toCostAlert(x)),
    }),
    'costs.alerts.acknowledge': async ({ ids }) => ({ acknowledged: ledger.budgets.acknowledge(ids) }),
    'costs.prices.list': async () => ({ prices: ledger.prices.list().map(priceView) }),
    'costs.prices.set': async (p) => {
      const toMicros = (s: string) => Micros.fromUsd(s); // USD per 1M tokens → µ$ per 1M tokens, exact (≤ 6 decimals)
      const changed = ledger.prices.setPrice({
        model: p.model,
        provider: p.provider,
        inputPer1M: toMicros(p.inputUsdPer1M),
        outputPer1M: toMicros(p.outputUsdPer1M),
        cachedInputPer1M: p.cachedInputUsdPer1M === null ? null : toMicros(p.cachedInputUsdPer1M),
        source: 'manual',
      });
      const row = ledger.prices.rateAt(p.model, Date.now(), p.provider);
      if (row === undefined) throw new AppError('INTERNAL', `price of ${p.model} not readable after writing it`);
      return { changed, price: priceView(row) };
    },
    'costs.prices.importLitellm': async ({ json }) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch (e) {
        throw new AppError('INVALID_INPUT', `The price file is not valid JSON: ${(e as Error).message}`, { cause: e });
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new AppError('INVALID_INPUT', 'The price file must be a JSON object keyed by model name (LiteLLM\'s model_prices_and_context_window.json).');
      }
      let r;
      try {
        r = ledger.importLiteLLM(parsed as Record<string, unknown>);
      } catch (e) {
        if (e instanceof TypeError || e instanceof RangeError) throw new AppError('INVALID_INPUT', `The price file has a bad entry: ${e.message}`, { cause: e });
        throw e;
      }
      return { imported: r.imported, unchanged: r.unchanged, skipped: r.skipped.length, inexact: r.inexact };
    },
    'costs.cacheStats': async (range) => {
      ledger.flush();
      const cache = services.costs.cache;
      const s = cache.stats();
      const requests = a.byModel(range).reduce((n, m) => n + m.requests, 0);
      const savings = a.cacheSavings(range);
      const error = cache.semanticError;
      return {
        entries: s.entries,
        lookups: { exactHits: s.exactHits, semanticHits: s.semanticHits, misses: s.misses, semanticGuarded: s.semanticGuarded, hitRate: s.hitRate },
        ledger: {
          range: { since: range.since ?? null, until: range.until ?? null },
          requests,
          cacheHits: savings.hits,
          hitRate: requests === 0 ? 0 : Math.min(1, savings.hits / requests),
          savedMicros: savings.savedMicros,
          savedUsd: usd(savings.savedMicros),
        },
        semanticActive: cache.semanticActive,
        embedderId: cache.embedderId,
        lastSemanticError: error === null ? null : error instanceof Error ? error.message : String(error),
      };
    },
    'costs.clearCache': async () => ({ removed: services.costs.cache.clear() }),
    'costs.export': async ({ format, since, until }) => {
      const chunks: string[] = [];
      const rows = ledger.exportRequests({
        format,
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
        write: (c) => chunks.push(c),
      });
      const stamp = new Date().toISOString().slice(0, 10);
      return { format, rows, filename: `hearth-costs-${stamp}.${format}`, text: chunks.join('') };
    },
  };
}
