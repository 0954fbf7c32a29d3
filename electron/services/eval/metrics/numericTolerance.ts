import type { MetricResult } from './MetricResult.js';

const NUMBER = /[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?/g;

/** The first number in `text` ("Total: $1,234.50" → 1234.5), or undefined. */
export function parseFirstNumber(text: string): number | undefined {
  for (const m of text.matchAll(NUMBER)) {
    if (!/\d/.test(m[0])) continue;
    const n = Number(m[0].replace(/,/g, ''));
    if (Number.isFinite(n)) return n;
  }
  return undefined;
}

/**
 * |output − expected| ≤ max(abs, rel·|expected|). Defaults abs = 0, rel = 1e-9 (i.e. equal up to
 * float noise); set one of them. `output` may be a number or text (first number is used).
 * score = 1 on pass, else max(0, 1 − error/|expected|) as partial credit.
 */
export function numericTolerance(output: number | string, expected: number, options: { abs?: number; rel?: number } = {}): MetricResult {
  const value = typeof output === 'number' ? output : parseFirstNumber(output);
  if (value === undefined) return { metric: 'numeric', pass: false, score: 0, reason: 'no number in output' };
  const err = Math.abs(value - expected);
  const tol = Math.max(options.abs ?? 0, (options.rel ?? 1e-9) * Math.abs(expected));
  const pass = err <= tol;
  const score = pass ? 1 : expected === 0 ? 0 : Math.max(0, 1 - err / Math.abs(expected));
  return { metric: 'numeric', pass, score, ...(pass ? {} : { reason: `${value} differs from ${expected} by ${err} (tolerance ${tol})` }) };
}
