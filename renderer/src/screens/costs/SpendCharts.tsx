import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChannelOutput } from '../../../../shared/contract/index.js';
import { formatAxisUsd, formatDay, formatMicros } from './money.js';

type Summary = ChannelOutput<'costs.summary'>;

const PALETTE = ['#4f7cff', '#f29f4b', '#39a96b', '#c75ac2', '#e35d6a', '#2ab3c0', '#9c8a3a', '#7a6cf0', '#5c6b7a'];

/** Spend per UTC day, stacked by model (the top 8 models by spend; the rest are summed as "other"). */
export function SpendOverTime({ summary }: { summary: Summary }): ReactNode {
  const totals = new Map<string, number>();
  for (const p of summary.byDayModel) totals.set(p.model, (totals.get(p.model) ?? 0) + p.costMicros);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([m]) => m);
  const shown = ranked.slice(0, 8);
  const series = ranked.length > 8 ? [...shown, 'other'] : shown;
  const days = new Map<string, Record<string, number | string>>();
  for (const p of summary.byDayModel) {
    const row = days.get(p.day) ?? { day: p.day };
    const key = shown.includes(p.model) ? p.model : 'other';
    row[key] = ((row[key] as number | undefined) ?? 0) + p.costMicros / 1e6;
    row[`${key}__requests`] = ((row[`${key}__requests`] as number | undefined) ?? 0) + p.requests;
    days.set(p.day, row);
  }
  const data = [...days.values()].sort((a, b) => String(a.day).localeCompare(String(b.day)));
  return (
    <figure className="costs-chart" aria-label="Spend per day, stacked by model" data-testid="spend-chart">
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
          <XAxis dataKey="day" tickFormatter={formatDay} tick={{ fontSize: 11, fill: 'var(--muted)' }} />
          <YAxis tickFormatter={formatAxisUsd} tick={{ fontSize: 11, fill: 'var(--muted)' }} width={76} />
          <Tooltip
            formatter={(value, name, item) => {
              const requests = (item.payload as Record<string, number>)[`${String(name)}__requests`] ?? 0;
              return [`${formatMicros(Math.round(Number(value) * 1e6))} · ${requests} req`, String(name)];
            }}
            labelFormatter={(d) => formatDay(String(d))}
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', borderRadius: 8, fontSize: 12 }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((m, i) => (
            <Bar key={m} dataKey={m} stackId="spend" fill={PALETTE[i % PALETTE.length]} maxBarSize={48} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
      <figcaption className="sr-only">
        {data.length} days; models: {series.join(', ')}.
      </figcaption>
    </figure>
  );
}

/** Spend and request count per provider (local providers marked). */
export function SpendByProvider({ summary }: { summary: Summary }): ReactNode {
  const data = summary.byProvider.map((p) => ({ name: p.local && !/local/i.test(p.provider) ? `${p.provider} (local)` : p.provider, usd: p.costMicros / 1e6, requests: p.requests }));
  return (
    <figure className="costs-chart" aria-label="Spend by provider" data-testid="provider-chart">
      <ResponsiveContainer width="100%" height={Math.max(160, Math.min(240, 44 * data.length + 60))}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="var(--border)" />
          <XAxis type="number" tickFormatter={formatAxisUsd} tick={{ fontSize: 11, fill: 'var(--muted)' }} />
          <YAxis type="category" dataKey="name" width={150} tick={{ fontSize: 12, fill: 'var(--text)' }} />
          <Tooltip
            formatter={(value, _name, item) => [`${formatMicros(Math.round(Number(value) * 1e6))} · ${(item.payload as { requests: number }).requests} req`, 'Spend']}
            contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)', borderRadius: 8, fontSize: 12 }}
          />
          <Bar dataKey="usd" fill="#4f7cff" maxBarSize={28} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
