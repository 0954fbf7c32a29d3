import { useState, type FormEvent, type ReactNode } from 'react';
import type { ChannelOutput } from '../../../../shared/contract/index.js';
import { api } from '../../api.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { formatMicros } from './money.js';

type Budget = ChannelOutput<'costs.budgets.list'>['budgets'][number];

/**
 * Budgets: set a daily or monthly limit per user or project and watch it fill. A used-up budget refuses further
 * requests in its scope (local ones too) until the period ends; "local" is the user of this machine's own requests.
 */
export function BudgetsCard({ budgets, onChanged }: { budgets: Budget[]; onChanged: () => void }): ReactNode {
  const [scope, setScope] = useState<'user' | 'project'>('user');
  const [scopeId, setScopeId] = useState('local');
  const [period, setPeriod] = useState<'day' | 'month'>('day');
  const [limit, setLimit] = useState('5');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api['costs.budgets.set']({ scope, scopeId: scopeId.trim(), period, limitUsd: limit.trim() });
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (b: Budget) => {
    setError(null);
    try {
      await api['costs.budgets.remove']({ scope: b.scope, scopeId: b.scopeId, period: b.period });
      onChanged();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section className="card" aria-labelledby="budgets-title" data-testid="budgets-card">
      <h2 id="budgets-title">Budgets</h2>
      {budgets.length === 0 ? (
        <p className="muted small">No budgets yet. A budget stops requests (before they run) once its limit is used up; you get alerts at 80% and 100%.</p>
      ) : (
        <ul className="budget-list">
          {budgets.map((b) => {
            const label = `${b.scope === 'user' ? 'User' : 'Project'} “${b.scopeId}”, ${b.period === 'day' ? 'daily' : 'monthly'}`;
            const pct = Math.min(100, b.usedPct);
            return (
              <li key={`${b.scope}/${b.scopeId}/${b.period}`} className="budget-row" data-testid="budget-row">
                <div className="budget-head">
                  <span className="strong">{label}</span>
                  <span className={b.exhausted ? 'bad small strong' : 'muted small'}>
                    {formatMicros(b.spentMicros)} of {formatMicros(b.limitMicros)} {b.exhausted ? '· used up, requests are blocked' : `· ${b.usedPct}%`}
                  </span>
                  <button type="button" className="ghost small" onClick={() => void remove(b)} aria-label={`Remove budget: ${label}`}>
                    Remove
                  </button>
                </div>
                <div
                  className={`budget-bar${b.exhausted ? ' over' : b.usedPct >= 80 ? ' warn' : ''}`}
                  role="progressbar"
                  aria-label={`${label} used`}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={pct}
                >
                  <span style={{ width: `${pct}%` }} />
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <form className="form-row" onSubmit={(e) => void submit(e)} aria-label="Set a budget">
        <label>
          Applies to
          <select value={scope} onChange={(e) => setScope(e.target.value as 'user' | 'project')}>
            <option value="user">User</option>
            <option value="project">Project</option>
          </select>
        </label>
        <label className="grow">
          {scope === 'user' ? 'User id' : 'Project id'}
          <input value={scopeId} onChange={(e) => setScopeId(e.target.value)} required maxLength={200} />
        </label>
        <label>
          Period
          <select value={period} onChange={(e) => setPeriod(e.target.value as 'day' | 'month')}>
            <option value="day">Daily</option>
            <option value="month">Monthly</option>
          </select>
        </label>
        <label>
          Limit (USD)
          <input value={limit} onChange={(e) => setLimit(e.target.value)} inputMode="decimal" pattern="\d{1,9}(\.\d{1,6})?" required size={8} />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          Set budget
        </button>
      </form>
      {error !== null && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
    </section>
  );
}
