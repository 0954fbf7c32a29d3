import type { MetricResult } from './MetricResult.js';

/**
 * SQuAD v1.1 answer normalisation: lower-case, strip ASCII/Unicode punctuation, drop the articles
 * a/an/the, collapse whitespace (the official `normalize_answer`; punctuation here is Unicode P*).
 */
export function normalizeSquad(s: string): string {
  return s
    .toLowerCase()
    .replace(/\p{P}/gu, '')
    .replace(/\b(a|an|the)\b/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
}

const result = (metric: string, pass: boolean, reason?: string): MetricResult => ({ metric, pass, score: pass ? 1 : 0, ...(reason ? { reason } : {}) });

/** Byte-for-byte equality, after trimming surrounding whitespace only (models add a trailing newline). */
export function exactMatch(output: string, expected: string): MetricResult {
  return result('exact-match', output.trim() === expected.trim());
}

/** Equality after `normalizeSquad` (case, punctuation, articles, whitespace). */
export function normalizedMatch(output: string, expected: string): MetricResult {
  return result('normalized-match', normalizeSquad(output) === normalizeSquad(expected));
}

/** SQuAD token-level F1 between normalised output and expected (partial credit). */
export function tokenF1(output: string, expected: string): MetricResult {
  const p = normalizeSquad(output).split(' ').filter(Boolean);
  const g = normalizeSquad(expected).split(' ').filter(Boolean);
  if (p.length === 0 || g.length === 0) return { metric: 'token-f1', score: p.length === g.length ? 1 : 0, pass: p.length === g.length };
  const counts = new Map<string, number>();
  for (const t of g) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of p) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      common++;
      counts.set(t, c - 1);
    }
  }
  const f1 = common === 0 ? 0 : (2 * (common / p.length) * (common / g.length)) / (common / p.length + common / g.length);
  return { metric: 'token-f1', score: f1, pass: f1 === 1 };
}

/** Output (normalised with `normalizeSquad` unless `exact`) is one of `allowed`. */
export function inSet(output: string, allowed: readonly string[], options: { exact?: boolean } = {}): MetricResult {
  const norm = options.exact ? (s: string) => s.trim() : normalizeSquad;
  const o = norm(output);
  return result('in-set', allowed.some((a) => norm(a) === o), undefined);
}

/** The output matches `pattern` (string patterns are compiled with `flags`, default none; unanchored). */
export function regexMatch(output: string, pattern: string | RegExp, flags = ''): MetricResult {
  const re = typeof pattern === 'string' ? new RegExp(pattern, flags) : pattern;
  re.lastIndex = 0;
  return result('regex', re.test(output));
}

/** The output contains `needle`; case-insensitive unless `caseSensitive`. */
export function contains(output: string, needle: string, options: { caseSensitive?: boolean } = {}): MetricResult {
  const pass = options.caseSensitive ? output.includes(needle) : output.toLowerCase().includes(needle.toLowerCase());
  return result('contains', pass);
}
