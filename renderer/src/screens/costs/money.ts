/**
 * Display of exact ledger amounts. The server sends integer µ$ and exact 6-decimal USD strings; the screen shows
 * dollars with as many decimals as the amount needs (local runs cost fractions of a cent) and never rounds a
 * non-zero amount to "$0.00".
 */
export function formatMicros(micros: number): string {
  if (micros === 0) return '$0';
  const neg = micros < 0;
  const a = Math.abs(micros);
  let s: string;
  if (a >= 1_000_000) s = (a / 1e6).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  else if (a >= 10_000) s = (a / 1e6).toFixed(2);
  else if (a >= 100) s = (a / 1e6).toFixed(4);
  else s = (a / 1e6).toFixed(6);
  return `${neg ? '−' : ''}$${s}`;
}

/** Chart axis ticks: short dollars. */
export function formatAxisUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (Math.abs(usd) >= 1) return `$${usd.toFixed(usd >= 100 ? 0 : 2)}`;
  if (Math.abs(usd) >= 0.01) return `$${usd.toFixed(2)}`;
  // tiny (local, energy-priced) amounts: plain decimals, trailing zeros dropped — never exponent notation
  return `$${usd.toFixed(6).replace(/0+$/, '')}`;
}

export function formatDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleString('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
