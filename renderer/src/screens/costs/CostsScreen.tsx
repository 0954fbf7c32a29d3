import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { ChannelOutput, EventPayload } from '../../../../shared/contract/index.js';
import { api } from '../../api.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { BudgetsCard } from './BudgetsCard.js';
import { formatMicros, formatTime } from './money.js';
import { PricesCard } from './PricesCard.js';
import { SpendByProvider, SpendOverTime } from './SpendCharts.js';
import './costs.css';

const DAY = 86_400_000;
const RANGES = [
  { id: '7d', label: '7 days', days: 7 },
  { id: '30d', label: '30 days', days: 30 },
  { id: '90d', label: '90 days', days: 90 },
  { id: 'all', label: 'All time', days: null },
] as const;
type RangeId = (typeof RANGES)[number]['id'];

interface CostsData {
  summary: ChannelOutput<'costs.summary'>;
  users: ChannelOutput<'costs.byUser'>['users'];
  endpoints: ChannelOutput<'costs.byEndpoint'>['endpoints'];
  expensive: ChannelOutput<'costs.expensive'>['requests'];
  anomalies: ChannelOutput<'costs.anomalies'>['anomalies'];
  localVsCloud: ChannelOutput<'costs.localVsCloud'>;
  budgets: ChannelOutput<'costs.budgets.list'>['budgets'];
  alerts: ChannelOutput<'costs.alerts.list'>['alerts'];
  prices: ChannelOutput<'costs.prices.list'>['prices'];
}

/** Start of the UTC day `days - 1` days ago, so "7 days" is today and the six whole days before it. */
function sinceFor(range: RangeId): number | undefined {
  const r = RANGES.find((x) => x.id === range)!;
  if (r.days === null) return undefined;
  return Math.floor(Date.now() / DAY) * DAY - (r.days - 1) * DAY;
}

/** The Costs screen: what every request cost, who and what spent it, budgets and alerts, prices, and local vs cloud. */
export function CostsScreen({ onNavigate }: { onNavigate: (screen: string) => void }): ReactNode {
  const [range, setRange] = useState<RangeId>('30d');
  const [data, setData] = useState<CostsData | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [toast, setToast] = useState<EventPayload<'costs.alert'> | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);

  const load = useCallback(async () => {
    const since = sinceFor(range);
    const r = since === undefined ? {} : { since };
    try {
      const [summary, users, endpoints, expensive, anomalies, localVsCloud, budgets, alerts, prices] = await Promise.all([
        api['costs.summary'](r),
        api['costs.byUser']({ ...r, limit: 10 }),
        api['costs.byEndpoint'](r),
        api['costs.expensive']({ ...r, limit: 10 }),
        api['costs.anomalies']({ ...r, zThreshold: 3 }),
        api['costs.localVsCloud']({}),
        api['costs.budgets.list']({}),
        api['costs.alerts.list']({ openOnly: false }),
        api['costs.prices.list']({}),
      ]);
      setData({
        summary, users: users.users, endpoints: endpoints.endpoints, expensive: expensive.requests, anomalies: anomalies.anomalies,
        localVsCloud, budgets: budgets.budgets, alerts: alerts.alerts, prices: prices.prices,
      });
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [range]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(
    () =>
      api.on('costs.alert', (a) => {
        setToast(a);
        void load();
      }),
    [load],
  );

  const acknowledge = async (ids: number[]) => {
    try {
      await api['costs.alerts.acknowledge']({ ids });
      await load();
    } catch (err) {
      setError(err);
    }
  };

  const download = async (format: 'csv' | 'json') => {
    setExportError(null);
    try {
      const since = sinceFor(range);
      const out = await api['costs.export']({ format, ...(since === undefined ? {} : { since }) });
      const blob = new Blob([out.text], { type: format === 'csv' ? 'text/csv' : 'application/json' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = out.filename;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (err) {
      setExportError(err);
    }
  };

  const empty = data !== null && data.summary.totals.requests === 0;
  const openAlerts = data?.alerts.filter((a) => a.acknowledgedAt === null) ?? [];

  return (
    <section className="screen costs" aria-labelledby="costs-title">
      <header className="screen-header costs-header">
        <div>
          <h1 id="costs-title">Costs</h1>
          <p className="muted">Every request the app made, priced exactly: cloud at the price in force, local by the energy it used.</p>
        </div>
        <div className="costs-toolbar">
          <div className="segmented" role="radiogroup" aria-label="Time range">
            {RANGES.map((r) => (
              <button key={r.id} type="button" role="radio" aria-checked={range === r.id} className={range === r.id ? 'active' : undefined} onClick={() => setRange(r.id)}>
                {r.label}
              </button>
            ))}
          </div>
          <button type="button" onClick={() => void download('csv')} disabled={data === null || empty}>
            Export CSV
          </button>
          <button type="button" className="ghost" onClick={() => void download('json')} disabled={data === null || empty}>
            JSON
          </button>
        </div>
      </header>

      {toast !== null && (
        <div className={toast.kind === 'budget' && toast.thresholdPct >= 100 ? 'notice error' : 'notice info'} role="alert" data-testid="alert-toast">
          <strong>{toast.kind === 'budget' ? 'Budget alert' : 'Unusual spend'}</strong>
          <div className="notice-detail">{toast.message}</div>
          <button type="button" className="ghost small" onClick={() => setToast(null)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      )}
      {error !== null && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
      {exportError !== null && <ErrorNotice error={exportError} onDismiss={() => setExportError(null)} />}
      {data === null && error === null && <p className="muted" aria-busy="true">Loading the ledger…</p>}

      {data !== null && (
        <>
          {empty ? (
            <div className="empty" data-testid="costs-empty">
              <p className="strong">No requests in this period yet.</p>
              <p className="muted">
                Every chat answer, extraction and eval run is recorded here with what it cost — even local ones, by the energy they used. Ask something in Chat and come back.
              </p>
              <button type="button" className="primary" onClick={() => onNavigate('chat')}>
                Go to Chat
              </button>
            </div>
          ) : (
            <>
              <div className="stat-row" data-testid="cost-totals">
                <Stat label="Spend" value={formatMicros(data.summary.totals.costMicros)} hint={`$${data.summary.totals.costUsd} exactly`} />
                <Stat label="Requests" value={data.summary.totals.requests.toLocaleString('en-US')} hint={`${(data.summary.totals.promptTokens + data.summary.totals.completionTokens).toLocaleString('en-US')} tokens`} />
                <Stat label="Cache hits" value={data.summary.totals.cacheHits.toLocaleString('en-US')} hint={`saved ${formatMicros(data.summary.totals.savedMicros)}`} />
                <Stat label="Avg latency" value={`${Math.round(data.summary.totals.avgLatencyMs).toLocaleString('en-US')} ms`} hint="per request" />
              </div>
              <div className="costs-grid">
                <section className="card span-2" aria-labelledby="spend-title">
                  <h2 id="spend-title">Spend over time, by model</h2>
                  <SpendOverTime summary={data.summary} />
                </section>
                <section className="card" aria-labelledby="provider-title">
                  <h2 id="provider-title">By provider</h2>
                  <SpendByProvider summary={data.summary} />
                </section>
              </div>
            </>
          )}

          <div className="costs-grid">
            <LocalVsCloudCard data={data.localVsCloud} onNavigate={onNavigate} />
            <AlertsCard alerts={data.alerts} openCount={openAlerts.length} onAcknowledge={(ids) => void acknowledge(ids)} />
          </div>

          <BudgetsCard budgets={data.budgets} onChanged={() => void load()} />

          {!empty && (
            <>
              <div className="costs-grid">
                <section className="card" aria-labelledby="users-title">
                  <h2 id="users-title">Top users</h2>
                  <table className="table compact" data-testid="users-table">
                    <thead>
                      <tr>
                        <th scope="col">User</th>
                        <th scope="col" className="num">Requests</th>
                        <th scope="col" className="num">Tokens</th>
                        <th scope="col" className="num">Spend</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.users.map((u) => (
                        <tr key={u.userId}>
                          <td>{u.userId}</td>
                          <td className="num">{u.requests.toLocaleString('en-US')}</td>
                          <td className="num">{(u.promptTokens + u.completionTokens).toLocaleString('en-US')}</td>
                          <td className="num" title={`$${u.costUsd}`}>{formatMicros(u.costMicros)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </section>
                <section className="card" aria-labelledby="endpoints-title">
                  <h2 id="endpoints-title">Endpoints</h2>
                  <table className="table compact" data-testid="endpoints-table">
                    <thead>
                      <tr>
                        <th scope="col">Endpoint</th>
                        <th scope="col" className="num">Requests</th>
                        <th scope="col" className="num">Avg cost</th>
                        <th scope="col" className="num">p95 cost</th>
                        <th scope="col" className="num">Spend</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.endpoints.map((e) => (
                        <tr key={e.endpoint}>
                          <td>{e.endpoint}</td>
                          <td className="num">{e.requests.toLocaleString('en-US')}</td>
                          <td className="num" title={`$${e.avgCostUsd}`}>{formatMicros(Math.round(e.avgCostMicros))}</td>
                          <td className="num" title={`$${e.p95CostUsd}`}>{formatMicros(e.p95CostMicros)}</td>
                          <td className="num">{formatMicros(e.costMicros)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </section>
              </div>

              <section className="card" aria-labelledby="expensive-title">
                <h2 id="expensive-title">Most expensive requests</h2>
                <div className="table-scroll">
                  <table className="table compact" data-testid="expensive-table">
                    <thead>
                      <tr>
                        <th scope="col">When</th>
                        <th scope="col">Endpoint</th>
                        <th scope="col">Model</th>
                        <th scope="col">User</th>
                        <th scope="col" className="num">Tokens in / out</th>
                        <th scope="col">Status</th>
                        <th scope="col" className="num">Cost</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.expensive.map((r) => (
                        <tr key={r.requestId}>
                          <td className="small">{formatTime(r.ts)}</td>
                          <td>{r.endpoint}</td>
                          <td className="mono">{r.model}</td>
                          <td>{r.userId}</td>
                          <td className="num">
                            {r.promptTokens.toLocaleString('en-US')} / {r.completionTokens.toLocaleString('en-US')}
                          </td>
                          <td className={r.status === 'ok' ? 'muted small' : 'bad small'}>{r.status}</td>
                          <td className="num" title={`$${r.costUsd}`}>{formatMicros(r.costMicros)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>

              <section className="card" aria-labelledby="anomalies-title">
                <h2 id="anomalies-title">Anomalies</h2>
                {data.anomalies.length === 0 ? (
                  <p className="muted small">No unusual hours: no user spent more than 3 standard deviations above their hourly average in this period.</p>
                ) : (
                  <table className="table compact" data-testid="anomalies-table">
                    <thead>
                      <tr>
                        <th scope="col">Hour</th>
                        <th scope="col">User</th>
                        <th scope="col" className="num">Spent</th>
                        <th scope="col" className="num">Usual (mean)</th>
                        <th scope="col" className="num">z</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.anomalies.map((a) => (
                        <tr key={`${a.userId}/${a.hourStart}`}>
                          <td className="small">{formatTime(a.hourStart)}</td>
                          <td>{a.userId}</td>
                          <td className="num">{formatMicros(a.spentMicros)}</td>
                          <td className="num">{formatMicros(Math.round(a.meanMicros))}</td>
                          <td className="num">{a.z.toFixed(1)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </section>
            </>
          )}

          <PricesCard prices={data.prices} onChanged={() => void load()} />
        </>
      )}
    </section>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint: string }): ReactNode {
  return (
    <div className="card stat">
      <div className="muted small">{label}</div>
      <div className="stat-value">{value}</div>
      <div className="muted small">{hint}</div>
    </div>
  );
}

function LocalVsCloudCard({ data, onNavigate }: { data: ChannelOutput<'costs.localVsCloud'>; onNavigate: (screen: string) => void }): ReactNode {
  const month = new Date(data.period.since).toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  return (
    <section className="card" aria-labelledby="lvc-title" data-testid="local-vs-cloud">
      <h2 id="lvc-title">Local vs cloud — {month}</h2>
      {data.local.requests === 0 ? (
        <p className="muted small">No local requests this month yet. Load a model on the Models screen and chat: this card shows what the same tokens would have cost in the cloud.</p>
      ) : (
        <>
          <dl className="facts">
            <dt>Local requests</dt>
            <dd>
              {data.local.requests.toLocaleString('en-US')} ({(data.local.promptTokens + data.local.completionTokens).toLocaleString('en-US')} tokens)
            </dd>
            <dt>Energy</dt>
            <dd>
              {data.local.energyWh < 1 ? `${(data.local.energyWh * 1000).toFixed(1)} mWh` : `${data.local.energyWh.toFixed(2)} Wh`} ≈ {formatMicros(data.local.costMicros)}
              <span className="muted small"> at {data.power.watts} W, ${data.power.usdPerKwh}/kWh</span>
            </dd>
          </dl>
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">Same tokens on</th>
                <th scope="col" className="num">Would cost</th>
                <th scope="col" className="num">You saved</th>
              </tr>
            </thead>
            <tbody>
              {data.comparisons.map((c) => (
                <tr key={c.model}>
                  <td className="mono">{c.model}</td>
                  {c.priced ? (
                    <>
                      <td className="num">{formatMicros(c.costMicros ?? 0)}</td>
                      <td className={`num ${(c.savingsMicros ?? 0) >= 0 ? 'good' : 'bad'}`}>{formatMicros(c.savingsMicros ?? 0)}</td>
                    </>
                  ) : (
                    <td colSpan={2} className="muted small">
                      no price — import LiteLLM prices below
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {data.comparisons.length === 0 && (
        <p className="muted small">
          Pick cloud models to compare with in{' '}
          <button type="button" className="link" onClick={() => onNavigate('settings')}>
            Settings
          </button>
          .
        </p>
      )}
    </section>
  );
}

function AlertsCard({ alerts, openCount, onAcknowledge }: { alerts: ChannelOutput<'costs.alerts.list'>['alerts']; openCount: number; onAcknowledge: (ids: number[]) => void }): ReactNode {
  return (
    <section className="card" aria-labelledby="alerts-title" data-testid="alerts-card">
      <div className="card-head">
        <h2 id="alerts-title">
          Alerts {openCount > 0 && <span className="badge bad" aria-label={`${openCount} open`}>{openCount}</span>}
        </h2>
        {openCount > 0 && (
          <button type="button" className="ghost small" onClick={() => onAcknowledge(alerts.filter((a) => a.acknowledgedAt === null).map((a) => a.id))}>
            Mark all as seen
          </button>
        )}
      </div>
      {alerts.length === 0 ? (
        <p className="muted small">No alerts. You are told here (and by a notification) when a budget reaches 80% and 100%, or when someone's hourly spend is unusual.</p>
      ) : (
        <ul className="alert-list">
          {alerts.slice(0, 8).map((a) => (
            <li key={a.id} className={a.acknowledgedAt === null ? 'alert-item open' : 'alert-item'}>
              <span className={`badge ${a.kind === 'anomaly' || a.thresholdPct >= 100 ? 'bad' : ''}`}>{a.kind === 'anomaly' ? 'anomaly' : `${a.thresholdPct}%`}</span>
              <span className="grow small">{a.message}</span>
              <span className="muted small">{formatTime(a.ts)}</span>
              {a.acknowledgedAt === null && (
                <button type="button" className="ghost small" onClick={() => onAcknowledge([a.id])} aria-label={`Mark alert ${a.id} as seen`}>
                  ✓
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
