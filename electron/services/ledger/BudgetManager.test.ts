import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BudgetExceededError } from './BudgetExceededError.js';
import type { LedgerAlert } from './BudgetManager.js';
import { periodBounds } from './BudgetManager.js';
import { LedgerStore } from './LedgerStore.js';

const T = Date.UTC(2026, 10, 15, 10);
const PRICES = { m: { input_cost_per_token: 1e-6, output_cost_per_token: 1e-6, litellm_provider: 'openai' } }; // 1 µ$/token
const spend = (store: LedgerStore, micros: number, ts = T, userId = 'u1', projectId = 'p1') =>
  store.recordRequest({ ts, userId, projectId, endpoint: 'chat', provider: 'openai', model: 'm', promptTokens: micros, completionTokens: 0, latencyMs: 1, status: 'ok' });

describe('budgets', () => {
  let store: LedgerStore;
  let heard: LedgerAlert[];
  beforeEach(async () => {
    store = await LedgerStore.open({ file: ':memory:' });
    store.importLiteLLM(PRICES, { validFrom: 0 });
    heard = [];
    store.onAlert((a) => heard.push(a));
  });
  afterEach(() => store.dispose());

  it('computes UTC day and month periods', () => {
    expect(periodBounds('day', T)).toEqual({ start: Date.UTC(2026, 10, 15), end: Date.UTC(2026, 10, 16) });
    expect(periodBounds('month', Date.UTC(2026, 11, 31, 23))).toEqual({ start: Date.UTC(2026, 11, 1), end: Date.UTC(2027, 0, 1) });
  });

  it('pre-flight throws BudgetExceededError with exact USD details; landing on the limit passes', () => {
    store.setBudget({ scope: 'user', scopeId: 'u1', period: 'day', limitUsd: '0.01' }); // 10,000 µ$
    spend(store, 6000);
    spend(store, 9999, T - 86_400_000); // yesterday: does not count
    expect(store.checkBudget({ userId: 'u1', estimateMicros: 4000, at: T })[0]!.spentMicros).toBe(6000);
    let err: unknown;
    try {
      store.checkBudget({ userId: 'u1', projectId: 'p1', estimateMicros: 4001, at: T });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect((err as BudgetExceededError).code).toBe('BUDGET_EXCEEDED');
    expect((err as BudgetExceededError).details).toEqual({ scope: 'user', scopeId: 'u1', period: 'day', limitUsd: '0.010000', spentUsd: '0.006000', estimateUsd: '0.004001', limitMicros: 10_000, spentMicros: 6000, estimateMicros: 4001 });
    expect(store.checkBudget({ userId: 'u2', estimateMicros: 1e9, at: T })).toEqual([]); // no budget for u2
  });

  it('a used-up budget blocks even a free (local) request; a $0 budget blocks everything in its scope', () => {
    store.setBudget({ scope: 'user', scopeId: 'u1', period: 'day', limitUsd: '0.01' });
    spend(store, 10_000); // exactly the limit
    expect(() => store.checkBudget({ userId: 'u1', estimateMicros: 0, at: T })).toThrow(/daily budget for user "u1" \(\$0\.010000\) is used up/);
    store.setBudget({ scope: 'user', scopeId: 'u3', period: 'day', limitUsd: '0' });
    expect(() => store.checkBudget({ userId: 'u3', estimateMicros: 0, at: T })).toThrow(BudgetExceededError);
    expect(store.checkBudget({ userId: 'u4', estimateMicros: 0, at: T })).toEqual([]);
    expect(store.budgets.removeBudget('user', 'u3', 'day')).toBe(true);
    expect(store.budgets.removeBudget('user', 'u3', 'day')).toBe(false);
    expect(store.checkBudget({ userId: 'u3', estimateMicros: 0, at: T })).toEqual([]);
  });

  it('acknowledges alerts once and can list only the open ones', () => {
    store.setBudget({ scope: 'user', scopeId: 'u1', period: 'day', limitUsd: '0.01' });
    spend(store, 10_000);
    const all = store.budgets.listAlerts();
    expect(all.map((a) => [a.thresholdPct, a.acknowledgedAt])).toEqual([[80, null], [100, null]]);
    expect(store.budgets.acknowledge([all[0]!.id, 999], 1234)).toBe(1);
    expect(store.budgets.acknowledge([all[0]!.id], 5678)).toBe(0); // keeps the first time
    expect(store.budgets.listAlerts()[0]!.acknowledgedAt).toBe(1234);
    expect(store.budgets.listAlerts(0, { openOnly: true }).map((a) => a.id)).toEqual([all[1]!.id]);
  });

  it('checks project and monthly budgets too', () => {
    store.setBudget({ scope: 'project', scopeId: 'p1', period: 'month', limitUsd: 1 });
    spend(store, 400_000, Date.UTC(2026, 10, 1), 'a', 'p1');
    spend(store, 500_000, Date.UTC(2026, 10, 30), 'b', 'p1');
    spend(store, 900_000, Date.UTC(2026, 9, 31), 'b', 'p1'); // previous month
    expect(() => store.checkBudget({ userId: 'zz', projectId: 'p1', estimateMicros: 100_001, at: T })).toThrow(/monthly budget for project "p1"/);
    expect(() => store.checkBudget({ userId: 'zz', projectId: 'p1', estimateMicros: 100_000, at: T })).not.toThrow();
  });

  it('fires 80% and 100% alerts once each per budget and period', () => {
    store.setBudget({ scope: 'user', scopeId: 'u1', period: 'day', limitUsd: '0.01' });
    spend(store, 7999);
    expect(heard).toEqual([]);
    spend(store, 1); // exactly 80%
    expect(heard.map((a) => [a.kind, a.thresholdPct, a.spentMicros])).toEqual([['budget', 80, 8000]]);
    spend(store, 1000);
    expect(heard).toHaveLength(1);
    spend(store, 5000); // past 100%
    expect(heard.map((a) => a.thresholdPct)).toEqual([80, 100]);
    spend(store, 5000);
    expect(heard).toHaveLength(2);
    // next day starts a new period
    spend(store, 20_000, T + 86_400_000);
    expect(heard.map((a) => [a.thresholdPct, a.periodStart])).toEqual([
      [80, Date.UTC(2026, 10, 15)],
      [100, Date.UTC(2026, 10, 15)],
      [80, Date.UTC(2026, 10, 16)],
      [100, Date.UTC(2026, 10, 16)],
    ]);
    expect(store.budgets.listAlerts()).toHaveLength(4);
  });

  it('a second store on the same file does not re-fire a stored alert', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'ledger-budget-'));
    const a = await LedgerStore.open({ dataDir: dir });
    a.importLiteLLM(PRICES, { validFrom: 0 });
    a.setBudget({ scope: 'user', scopeId: 'u1', period: 'day', limitUsd: '0.001' });
    const b = await LedgerStore.open({ dataDir: dir });
    const got: number[] = [];
    a.onAlert((x) => got.push(x.thresholdPct));
    b.onAlert((x) => got.push(-x.thresholdPct));
    spend(a, 900);
    spend(b, 50);
    expect(got).toEqual([80]);
    spend(b, 100);
    expect(got).toEqual([80, -100]);
    a.dispose();
    b.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
});
