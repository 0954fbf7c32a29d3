import type Database from 'better-sqlite3';
import { BudgetExceededError, type BudgetPeriod, type BudgetScope } from './BudgetExceededError.js';
import { Micros } from './Micros.js';

export interface Budget {
  scope: BudgetScope;
  scopeId: string;
  period: BudgetPeriod;
  limitMicros: number;
}

export interface LedgerAlert {
  id: number;
  ts: number;
  kind: 'budget' | 'anomaly';
  scope: string;
  scopeId: string;
  /** `day` | `month` for budgets, `hour` for anomalies. */
  period: string;
  periodStart: number;
  /** 80 or 100 for budgets; for anomalies, the z-score × 100 (floored). */
  thresholdPct: number;
  spentMicros: number;
  limitMicros: number | null;
  message: string;
  /** When the user dismissed it (ms), or null while it is still open. */
  acknowledgedAt: number | null;
}

export type AlertListener = (alert: LedgerAlert) => void;

/** Alert thresholds in percent of a budget's limit. */
export const BUDGET_ALERT_THRESHOLDS = [80, 100] as const;

/** Start and end (ms, UTC) of the budget period that contains `at`. Periods are UTC days/months. */
export function periodBounds(period: BudgetPeriod, at: number): { start: number; end: number } {
  const d = new Date(at);
  if (period === 'day') {
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    return { start, end: start + 86_400_000 };
  }
  return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}

interface AlertDbRow {
  id: number;
  ts: number;
  kind: 'budget' | 'anomaly';
  scope: string;
  scope_id: string;
  period: string;
  period_start: number;
  threshold_pct: number;
  spent_micros: number;
  limit_micros: number | null;
  message: string;
  acknowledged_at: number | null;
}

/**
 * Daily and monthly limits per user and per project, the pre-flight check, and alerts.
 * Spend is summed from the daily rollups (at most 31 rows per check), exact because periods are
 * whole UTC days or months. Each alert (budget, period start, threshold) is stored once — the
 * `alerts` UNIQUE constraint decides, so two processes cannot both fire it — and listeners hear
 * only newly inserted alerts.
 */
export class BudgetManager {
  private readonly listeners = new Set<AlertListener>();
  private readonly listStmt: Database.Statement<[], { scope: BudgetScope; scope_id: string; period: BudgetPeriod; limit_micros: number }>;
  private readonly spentUser: Database.Statement<[string, number, number], { s: number }>;
  private readonly spentProject: Database.Statement<[string, number, number], { s: number }>;
  private readonly insertAlert: Database.Statement;
  private readonly upsertBudget: Database.Statement;
  private readonly deleteBudget: Database.Statement<[string, string, string]>;

  constructor(private readonly db: Database.Database) {
    // Periods are whole UTC days/months, so the daily rollups give the exact spend.
    this.spentUser = db.prepare(
      'SELECT COALESCE(SUM(cost_micros), 0) AS s FROM rollup_day_user WHERE user_id = ? AND day >= ? AND day < ?',
    );
    this.spentProject = db.prepare(
      'SELECT COALESCE(SUM(cost_micros), 0) AS s FROM rollup_day_project WHERE project_id = ? AND day >= ? AND day < ?',
    );
    this.insertAlert = db.prepare(`INSERT INTO alerts (ts, kind, scope, scope_id, period, period_start, threshold_pct,
      spent_micros, limit_micros, message) VALUES (@ts, @kind, @scope, @scopeId, @period, @periodStart, @thresholdPct,
      @spentMicros, @limitMicros, @message) ON CONFLICT DO NOTHING RETURNING *`);
    this.upsertBudget = db.prepare(`INSERT INTO budgets (scope, scope_id, period, limit_micros, updated_at)
      VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope, scope_id, period) DO UPDATE SET limit_micros = excluded.limit_micros,
      updated_at = excluded.updated_at`);
    this.deleteBudget = db.prepare('DELETE FROM budgets WHERE scope = ? AND scope_id = ? AND period = ?');
    this.listStmt = db.prepare('SELECT scope, scope_id, period, limit_micros FROM budgets ORDER BY scope, scope_id, period');
  }

  /** Sets (or replaces) a limit. `limitUsd` is a decimal string or number of dollars. */
  setBudget(b: { scope: BudgetScope; scopeId: string; period: BudgetPeriod } & ({ limitUsd: string | number } | { limitMicros: number })): Budget {
    const limitMicros = 'limitMicros' in b ? b.limitMicros : Micros.fromUsd(b.limitUsd);
    if (!Number.isSafeInteger(limitMicros) || limitMicros < 0) throw new RangeError('budget limit must be >= 0');
    this.upsertBudget.run(b.scope, b.scopeId, b.period, limitMicros, Date.now());
    return { scope: b.scope, scopeId: b.scopeId, period: b.period, limitMicros };
  }

  removeBudget(scope: BudgetScope, scopeId: string, period: BudgetPeriod): boolean {
    return this.deleteBudget.run(scope, scopeId, period).changes > 0;
  }

  /** Read from the table every time (not cached): another process may have changed a limit. */
  listBudgets(): Budget[] {
    return this.listStmt.all().map((r) => ({ scope: r.scope, scopeId: r.scope_id, period: r.period, limitMicros: r.limit_micros }));
  }

  /** µ$ spent by a user or project in the period containing `at`. */
  spent(scope: BudgetScope, scopeId: string, period: BudgetPeriod, at: number): number {
    const { start, end } = periodBounds(period, at);
    return (scope === 'user' ? this.spentUser : this.spentProject).get(scopeId, start / 86_400_000, end / 86_400_000)!.s;
  }

  /**
   * Pre-flight: throws `BudgetExceededError` for the first budget (user before project, day
   * before month) where `spent + estimate > limit`, or that is already used up (`spent >= limit`).
   * An estimate that lands exactly on the limit passes; the request after it does not, even a
   * free one (a local model's estimate is 0, and a $0 budget means "no requests in this scope").
   * Returns the budgets checked with their current spend.
   */
  checkBudget(q: { userId?: string; projectId?: string; estimateMicros: number; at?: number }): {
    budget: Budget;
    spentMicros: number;
  }[] {
    const at = q.at ?? Date.now();
    const out: { budget: Budget; spentMicros: number }[] = [];
    for (const b of this.applicable(q.userId, q.projectId)) {
      const spentMicros = this.spent(b.scope, b.scopeId, b.period, at);
      if (spentMicros + q.estimateMicros > b.limitMicros || spentMicros >= b.limitMicros) {
        throw new BudgetExceededError(b.scope, b.scopeId, b.period, b.limitMicros, spentMicros, q.estimateMicros);
      }
      out.push({ budget: b, spentMicros });
    }
    return out;
  }

  /**
   * After a commit: records 80% / 100% alerts for the budgets of these users/projects in the
   * periods containing `times`, notifying listeners of new ones. Returns the new alerts.
   */
  evaluate(touched: { userId: string; projectId: string; ts: number }[]): LedgerAlert[] {
    const all = this.listBudgets();
    if (all.length === 0) return [];
    const seen = new Set<string>();
    const fresh: LedgerAlert[] = [];
    for (const t of touched) {
      for (const b of this.applicable(t.userId, t.projectId, all)) {
        const { start } = periodBounds(b.period, t.ts);
        const key = `${b.scope}\0${b.scopeId}\0${b.period}\0${start}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const spentMicros = this.spent(b.scope, b.scopeId, b.period, t.ts);
        for (const pct of BUDGET_ALERT_THRESHOLDS) {
          if (BigInt(spentMicros) * 100n < BigInt(b.limitMicros) * BigInt(pct)) continue;
          const a = this.record({
            kind: 'budget',
            scope: b.scope,
            scopeId: b.scopeId,
            period: b.period,
            periodStart: start,
            thresholdPct: pct,
            spentMicros,
            limitMicros: b.limitMicros,
            message: `${b.scope} "${b.scopeId}" has used ${pct === 100 ? 'all' : `${pct}%`} of its ${b.period}ly budget ($${Micros.formatUsd(spentMicros)} of $${Micros.formatUsd(b.limitMicros)}).`,
          });
          if (a !== undefined) fresh.push(a);
        }
      }
    }
    return fresh;
  }

  /** Inserts an alert unless the same (kind, scope, id, period, start, threshold) exists; notifies listeners. */
  record(a: Omit<LedgerAlert, 'id' | 'ts' | 'acknowledgedAt'> & { ts?: number }): LedgerAlert | undefined {
    const row = this.insertAlert.get({ ...a, ts: a.ts ?? Date.now() }) as AlertDbRow | undefined;
    if (row === undefined) return undefined;
    const alert = alertFromDb(row);
    const errors: unknown[] = [];
    for (const l of [...this.listeners]) {
      try {
        l(alert);
      } catch (e) {
        errors.push(e);
      }
    }
    // Every listener ran and the alert is stored; a failing listener is the caller's bug, so surface it.
    if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors, 'alert listeners failed');
    return alert;
  }

  /** Subscribes to new alerts; returns the unsubscribe function. */
  onAlert(cb: AlertListener): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Alerts raised at or after `since` (ms), oldest first; `openOnly` leaves out acknowledged ones. */
  listAlerts(since = 0, o: { openOnly?: boolean } = {}): LedgerAlert[] {
    const sql = o.openOnly === true
      ? 'SELECT * FROM alerts WHERE ts >= ? AND acknowledged_at IS NULL ORDER BY id'
      : 'SELECT * FROM alerts WHERE ts >= ? ORDER BY id';
    return (this.db.prepare(sql).all(since) as AlertDbRow[]).map(alertFromDb);
  }

  /** Marks alerts as seen (idempotent: an already acknowledged alert keeps its first time). Returns how many changed. */
  acknowledge(ids: readonly number[], at: number = Date.now()): number {
    const stmt = this.db.prepare('UPDATE alerts SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL');
    let changed = 0;
    this.db.transaction(() => {
      for (const id of ids) changed += stmt.run(at, id).changes;
    })();
    return changed;
  }

  private applicable(userId: string | undefined, projectId: string | undefined, all = this.listBudgets()): Budget[] {
    const order = { day: 0, month: 1 } as const;
    return all
      .filter((b) => (b.scope === 'user' ? b.scopeId === userId : b.scopeId === projectId))
      .sort((x, y) => (x.scope === y.scope ? order[x.period] - order[y.period] : x.scope === 'user' ? -1 : 1));
  }
}

function alertFromDb(r: AlertDbRow): LedgerAlert {
  return {
    id: r.id,
    ts: r.ts,
    kind: r.kind,
    scope: r.scope,
    scopeId: r.scope_id,
    period: r.period,
    periodStart: r.period_start,
    thresholdPct: r.threshold_pct,
    spentMicros: r.spent_micros,
    limitMicros: r.limit_micros,
    message: r.message,
    acknowledgedAt: r.acknowledged_at,
  };
}
