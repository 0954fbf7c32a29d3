import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AppError } from '../../../../shared/errors.js';
import { LedgerStore, type LedgerStoreOptions } from '../LedgerStore.js';
import { Micros } from '../Micros.js';

export interface LedgerCommandContext {
  dataDir: string;
  /** Machine-readable output: one JSON document per command. */
  json: boolean;
  out: (s: string) => void;
  /** Reuse an already open store (the app's); otherwise one is opened on `dataDir` and disposed. */
  store?: LedgerStore;
  /** Passed to `LedgerStore.open` when the command opens its own store. */
  storeOptions?: Omit<LedgerStoreOptions, 'dataDir' | 'file'>;
}

export const LEDGER_USAGE = `usage: ledger <command>
  prices import <litellm.json> [--valid-from <iso|ms>]
  prices list [--at <iso|ms>] [--model <substring>]
  cost --model <m> --prompt-tokens <n> --completion-tokens <n> [--cached-tokens <n>] [--at <iso|ms>]
  report --by day|model|user|endpoint [--since <iso|ms>] [--until <iso|ms>] [--limit <n>]
  expensive [--limit <n>] [--since] [--until]
  anomalies [--z <k>] [--since] [--until]
  compare-local-cloud [--since] [--until]
  budget set --scope user|project --id <id> --period day|month --usd <amount>
  budget show
  alerts [--since]
  export --format csv|json|ndjson [--since] [--until]
  compact                      give free pages back to the disk (VACUUM)`;

class UsageError extends AppError {
  constructor(message: string) {
    super('INVALID_INPUT', message, { details: { usage: LEDGER_USAGE } });
  }
}

function parseTime(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(t)) throw new UsageError(`--${name}: not a date or epoch ms: ${v}`);
  return t;
}

function parseCount(name: string, v: string | undefined, required: boolean): number | undefined {
  if (v === undefined) {
    if (required) throw new UsageError(`--${name} is required`);
    return undefined;
  }
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new UsageError(`--${name} must be a non-negative integer`);
  return Number(v);
}

function oneOf<T extends string>(name: string, v: string | undefined, allowed: readonly T[]): T {
  if (v === undefined || !(allowed as readonly string[]).includes(v)) {
    throw new UsageError(`--${name} must be one of ${allowed.join('|')}`);
  }
  return v as T;
}

/** Formats a table of records as aligned text columns. */
function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '(no rows)';
  const cols = Object.keys(rows[0]!);
  const cells = rows.map((r) => cols.map((c) => String(r[c] ?? '')));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(cols), ...cells.map(line)].join('\n');
}

const usd = (micros: number) => Micros.formatUsd(micros);

/**
 * Runs `ledger ...` (argv excludes the word `ledger`). Returns the exit code: 0 done, 2 usage
 * error (message + usage written to `out`, or a JSON error envelope with `--json`). Other
 * failures (storage, budget) propagate as their `AppError` for the caller's CLI to report.
 * Money is always printed from exact micro-dollars as a decimal string.
 */
export async function runLedgerCommand(argv: string[], ctx: LedgerCommandContext): Promise<number> {
  const emit = (data: unknown, text: string) => ctx.out(ctx.json ? JSON.stringify(data) + '\n' : text + '\n');
  let store = ctx.store;
  const owned = store === undefined;
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'valid-from': { type: 'string' },
        at: { type: 'string' },
        model: { type: 'string' },
        'prompt-tokens': { type: 'string' },
        'completion-tokens': { type: 'string' },
        'cached-tokens': { type: 'string' },
        by: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        limit: { type: 'string' },
        z: { type: 'string' },
        scope: { type: 'string' },
        id: { type: 'string' },
        period: { type: 'string' },
        usd: { type: 'string' },
        format: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    const [cmd, sub, arg] = positionals;
    if (values.json === true) ctx = { ...ctx, json: true };
    const range = { since: parseTime('since', values.since), until: parseTime('until', values.until) };
    if (cmd === undefined) throw new UsageError('missing command');
    store ??= await LedgerStore.open({ ...ctx.storeOptions, dataDir: ctx.dataDir });
    const s = store;

    switch (cmd) {
      case 'prices': {
        if (sub === 'import') {
          if (arg === undefined) throw new UsageError('prices import needs a file');
          const r = s.importLiteLLM(readFileSync(arg, 'utf8'), { validFrom: parseTime('valid-from', values['valid-from']) });
          emit(r, `imported ${r.imported}, unchanged ${r.unchanged}, skipped ${r.skipped.length}`);
          return 0;
        }
        if (sub === 'list') {
          const rows = s.prices
            .list(parseTime('at', values.at))
            .filter((p) => values.model === undefined || p.model.includes(values.model));
          emit(
            rows,
            table(rows.map((p) => ({
              model: p.model,
              provider: p.provider,
              input_usd_per_1m: usd(p.inputPer1M),
              output_usd_per_1m: usd(p.outputPer1M),
              cached_usd_per_1m: p.cachedInputPer1M === null ? '' : usd(p.cachedInputPer1M),
              since: new Date(p.validFrom).toISOString(),
            }))),
          );
          return 0;
        }
        throw new UsageError('prices import|list');
      }
      case 'cost': {
        if (values.model === undefined) throw new UsageError('--model is required');
        const c = s.costOf({
          model: values.model,
          promptTokens: parseCount('prompt-tokens', values['prompt-tokens'], true)!,
          completionTokens: parseCount('completion-tokens', values['completion-tokens'], true)!,
          cachedTokens: parseCount('cached-tokens', values['cached-tokens'], false),
          at: parseTime('at', values.at),
        });
        emit(
          { ...c, totalUsd: usd(c.totalMicros), promptUsd: usd(c.promptMicros), completionUsd: usd(c.completionMicros) },
          `$${usd(c.totalMicros)} (prompt $${usd(c.promptMicros)} + completion $${usd(c.completionMicros)}; ${c.pricingVersion})`,
        );
        return 0;
      }
      case 'report': {
        const by = oneOf('by', values.by, ['day', 'model', 'user', 'endpoint'] as const);
        const rows =
          by === 'day' ? s.analytics.byDayModel(range)
          : by === 'model' ? s.analytics.byModel(range)
          : by === 'user' ? s.analytics.byUser({ ...range, limit: parseCount('limit', values.limit, false) })
          : s.analytics.byEndpoint(range);
        emit(
          rows,
          table(rows.map((r) => {
            const { costMicros, latencySumMs: _l, avgLatencyMs, ...rest } = r as typeof r & Record<string, unknown>;
            const out: Record<string, unknown> = { ...rest, cost_usd: usd(costMicros), avg_latency_ms: avgLatencyMs.toFixed(1) };
            if ('p95CostMicros' in r) {
              out.avgCostMicros = undefined;
              out.p95CostMicros = undefined;
              out.avg_cost_usd = (r.avgCostMicros / 1e6).toFixed(6);
              out.p95_cost_usd = usd(r.p95CostMicros);
            }
            return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
          })),
        );
        return 0;
      }
      case 'expensive': {
        const rows = s.analytics.mostExpensive({ ...range, limit: parseCount('limit', values.limit, false) });
        emit(rows, table(rows.map(({ totalCostMicros, ts, ...r }) => ({ time: new Date(ts).toISOString(), ...r, cost_usd: usd(totalCostMicros) }))));
        return 0;
      }
      case 'anomalies': {
        const z = values.z === undefined ? undefined : Number(values.z);
        if (z !== undefined && !(Number.isFinite(z) && z > 0)) throw new UsageError('--z must be a positive number');
        const { anomalies } = s.scanAnomalies({ ...range, zThreshold: z });
        emit(anomalies, table(anomalies.map((a) => ({ hour: new Date(a.hourStart).toISOString(), user: a.userId, spent_usd: usd(a.spentMicros), z: a.z.toFixed(2) }))));
        return 0;
      }
      case 'compare-local-cloud': {
        const rows = s.analytics.localVsCloud(range);
        emit(rows, table(rows.map((r) => ({ compared_with: r.model, requests: r.requests, local_usd: usd(r.localCostMicros), cloud_usd: usd(r.cloudCostMicros), saved_usd: usd(r.savingsMicros) }))));
        return 0;
      }
      case 'budget': {
        if (sub === 'set') {
          if (values.id === undefined || values.usd === undefined) throw new UsageError('budget set needs --id and --usd');
          if (!/^\d+(\.\d+)?$/.test(values.usd)) throw new UsageError('--usd must be a decimal amount like 5 or 2.50');
          const b = s.setBudget({
            scope: oneOf('scope', values.scope, ['user', 'project'] as const),
            scopeId: values.id,
            period: oneOf('period', values.period, ['day', 'month'] as const),
            limitUsd: values.usd,
          });
          emit({ ...b, limitUsd: usd(b.limitMicros) }, `${b.scope} ${b.scopeId}: $${usd(b.limitMicros)} per ${b.period}`);
          return 0;
        }
        if (sub === 'show') {
          const now = Date.now();
          const rows = s.budgets.listBudgets().map((b) => ({ ...b, spentMicros: s.budgets.spent(b.scope, b.scopeId, b.period, now) }));
          emit(rows, table(rows.map((b) => ({ scope: b.scope, id: b.scopeId, period: b.period, limit_usd: usd(b.limitMicros), spent_usd: usd(b.spentMicros) }))));
          return 0;
        }
        throw new UsageError('budget set|show');
      }
      case 'alerts': {
        const rows = s.budgets.listAlerts(range.since ?? 0);
        emit(rows, table(rows.map((a) => ({ time: new Date(a.ts).toISOString(), kind: a.kind, message: a.message }))));
        return 0;
      }
      case 'compact': {
        const r = s.compact();
        const mb = (n: number) => (n / 1e6).toFixed(1);
        emit(r, `compacted: ${mb(r.bytesBefore)} MB → ${mb(r.bytesAfter)} MB (${r.freePagesBefore} free pages given back)`);
        return 0;
      }
      case 'export': {
        const format = oneOf('format', values.format, ['csv', 'json', 'ndjson'] as const);
        s.exportRequests({ ...range, format, write: ctx.out });
        return 0;
      }
      default:
        throw new UsageError(`unknown command: ${cmd}`);
    }
  } catch (e) {
    const usage = e instanceof UsageError ? e : (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? new UsageError((e as Error).message) : undefined;
    if (usage === undefined) throw e;
    ctx.out(ctx.json ? JSON.stringify({ ok: false, error: usage.toSerialized() }) + '\n' : `${usage.message}\n${LEDGER_USAGE}\n`);
    return 2;
  } finally {
    if (owned) store?.dispose();
  }
}
