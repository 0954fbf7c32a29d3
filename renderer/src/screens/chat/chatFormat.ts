/** Display helpers of the Chat screen. */

/** Micro-dollars as dollars, with enough digits that tiny local costs are not shown as $0.00. */
export function formatMicros(micros: number): string {
  if (micros === 0) return '$0';
  const usd = micros / 1e6;
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  if (usd >= 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toPrecision(2)}`;
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** "3 min ago", "yesterday", or a date, for the conversation list. */
export function formatWhen(ts: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  if (s < 172_800) return 'yesterday';
  return new Date(ts).toLocaleDateString();
}
