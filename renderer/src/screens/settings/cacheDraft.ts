import { CacheSettings } from '../../../../shared/schemas/settings.js';

/** The Response cache form as typed (inputs hold text until saved). */
export interface CacheDraft {
  semanticEnabled: boolean;
  threshold: string;
  ttlHours: string;
}

export type CacheDraftResult = { ok: true; value: CacheSettings } | { ok: false; errors: Partial<Record<'threshold' | 'ttlHours', string>> };

export function draftFrom(s: CacheSettings): CacheDraft {
  return { semanticEnabled: s.semanticEnabled, threshold: String(s.semanticThreshold), ttlHours: String(s.ttlHours) };
}

/**
 * Validates the form against the same zod schema main applies (`CacheSettings`), with messages a user can act on.
 * Empty or non-numeric text is an error rather than 0, so a cleared field never saves a surprising value.
 */
export function parseCacheDraft(d: CacheDraft): CacheDraftResult {
  const errors: Partial<Record<'threshold' | 'ttlHours', string>> = {};
  const threshold = d.threshold.trim() === '' ? NaN : Number(d.threshold);
  const ttl = d.ttlHours.trim() === '' ? NaN : Number(d.ttlHours);
  if (!(threshold >= 0.5 && threshold <= 1)) errors.threshold = 'Enter a similarity between 0.5 and 1 (default 0.95).';
  if (!(ttl > 0 && ttl <= 8760)) errors.ttlHours = 'Enter a number of hours above 0 and at most 8760 (one year).';
  if (errors.threshold !== undefined || errors.ttlHours !== undefined) return { ok: false, errors };
  const parsed = CacheSettings.safeParse({ semanticEnabled: d.semanticEnabled, semanticThreshold: threshold, ttlHours: ttl });
  if (!parsed.success) return { ok: false, errors: { threshold: parsed.error.issues[0]?.message ?? 'Invalid value.' } };
  return { ok: true, value: parsed.data };
}

/** One line on what a threshold means for the user: where it sits between "more hits" and "safer hits". */
export function describeThreshold(t: number): string {
  if (!Number.isFinite(t)) return '';
  if (t >= 0.99) return 'Very strict: only near-identical wording is reused.';
  if (t >= 0.95) return 'Reuses answers for rewordings (case, punctuation, filler words); other questions miss.';
  if (t >= 0.9) return 'More hits, but some different questions may get an earlier answer.';
  return 'Loose: related but different questions may get an earlier answer. Not recommended.';
}

/** 0.4231 → "42.3%"; NaN/negative → "0%". */
export function formatRate(r: number): string {
  if (!(r > 0)) return '0%';
  const pct = Math.min(1, r) * 100;
  return `${pct >= 10 || Number.isInteger(pct) ? pct.toFixed(pct === 100 ? 0 : 1) : pct.toFixed(2)}%`.replace('.0%', '%');
}

/** "0.012345" → "$0.0123"; at least 2 decimals, 4 for amounts under a dollar, keeping the exact string's digits. */
export function formatUsd(exact: string): string {
  const [whole = '0', frac = ''] = exact.replace(/^-/, '').split('.');
  const sign = exact.startsWith('-') ? '-' : '';
  // sub-cent savings of local models: show all 6 digits rather than a misleading $0.0000
  const digits = whole !== '0' ? 2 : /^0{4}[1-9]|^0{5}[1-9]/.test(frac) ? 6 : 4;
  return `${sign}$${whole}.${frac.padEnd(digits, '0').slice(0, digits)}`;
}
