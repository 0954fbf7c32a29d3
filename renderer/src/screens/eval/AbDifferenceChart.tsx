import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ErrorBar, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AbAnalysis } from '../../../../shared/schemas/eval.js';

const pts = (x: number) => Math.round(x * 1000) / 10;

/**
 * Both arms' rates and the difference B − A with its bootstrap CI, in points, on one horizontal axis centred on 0:
 * an interval that crosses the zero line means "could be no difference".
 */
export function AbDifferenceChart({ analysis, labels }: { analysis: AbAnalysis; labels: { a: string; b: string } }): ReactNode {
  const diff = pts(analysis.difference);
  const low = pts(analysis.ci.low);
  const high = pts(analysis.ci.high);
  const data = [{ name: `${labels.b} − ${labels.a}`, diff, err: [Math.max(0, diff - low), Math.max(0, high - diff)] }];
  const extent = Math.max(10, Math.ceil(Math.max(Math.abs(low), Math.abs(high), Math.abs(diff)) / 10) * 10);
  const color = analysis.significant ? (diff > 0 ? 'var(--good)' : 'var(--bad)') : 'var(--muted)';
  return (
    <figure className="eval-chart" style={{ margin: 0 }} aria-label={`Difference ${diff} points, ${Math.round(analysis.ci.confidence * 100)}% confidence interval ${low} to ${high}`}>
      <ResponsiveContainer width="100%" height={120}>
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid horizontal={false} stroke="var(--border)" />
          <XAxis type="number" domain={[-extent, extent]} tickFormatter={(v: number) => `${v > 0 ? '+' : ''}${v}`} stroke="var(--muted)" fontSize={12} unit=" pts" />
          <YAxis type="category" dataKey="name" width={150} stroke="var(--muted)" fontSize={12} />
          <Tooltip formatter={(v) => [`${String(v)} points (CI ${low} to ${high})`, 'difference']} />
          <ReferenceLine x={0} stroke="var(--text)" />
          <Bar dataKey="diff" barSize={22} isAnimationActive={false}>
            <Cell fill={color} />
            <ErrorBar dataKey="err" direction="x" width={10} strokeWidth={2} stroke="var(--text)" />
          </Bar>
          {/* the point estimate stays visible when the bar has no length (no difference) */}
          <ReferenceDot x={diff} y={data[0]!.name} r={5} fill={color} stroke="var(--text)" />
        </BarChart>
      </ResponsiveContainer>
      <figcaption className="muted small">
        Bar: difference in points; whiskers: {Math.round(analysis.ci.confidence * 100)}% bootstrap confidence interval ({low} to {high}). Crossing 0 means it could be no difference.
      </figcaption>
    </figure>
  );
}
