/** Display helpers of the Eval screen. */

/** Ledger micros (millionths of a dollar) as dollars; tiny local energy costs keep two significant digits. */
export function formatMicros(micros: number | null): string {
  if (micros === null) return '—';
  if (micros === 0) return '$0';
  const usd = micros / 1e6;
  return usd >= 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toPrecision(2)}`;
}

export function formatPercent(x: number): string {
  return `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

export function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** A case input or expected value as one line of text. */
export function asText(v: unknown): string {
  if (v === undefined) return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
