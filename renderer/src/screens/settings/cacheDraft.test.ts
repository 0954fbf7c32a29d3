import { describe, expect, it } from 'vitest';
import { describeThreshold, draftFrom, formatRate, formatUsd, parseCacheDraft } from './cacheDraft.js';

describe('cache settings draft', () => {
  it('round-trips stored settings', () => {
    const s = { semanticEnabled: true, semanticThreshold: 0.95, ttlHours: 168 };
    expect(parseCacheDraft(draftFrom(s))).toEqual({ ok: true, value: s });
  });
  it('accepts edges and trims', () => {
    expect(parseCacheDraft({ semanticEnabled: false, threshold: ' 0.5 ', ttlHours: '8760' })).toEqual({
      ok: true,
      value: { semanticEnabled: false, semanticThreshold: 0.5, ttlHours: 8760 },
    });
    expect(parseCacheDraft({ semanticEnabled: true, threshold: '1', ttlHours: '0.5' })).toMatchObject({ ok: true, value: { semanticThreshold: 1, ttlHours: 0.5 } });
  });
  it('rejects out-of-range, empty and non-numeric fields with a message per field', () => {
    const bad = parseCacheDraft({ semanticEnabled: true, threshold: '0.4', ttlHours: '0' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.threshold).toMatch(/0\.5 and 1/);
      expect(bad.errors.ttlHours).toMatch(/8760/);
    }
    expect(parseCacheDraft({ semanticEnabled: true, threshold: '', ttlHours: '24' })).toMatchObject({ ok: false, errors: { threshold: expect.any(String) } });
    expect(parseCacheDraft({ semanticEnabled: true, threshold: '0.9', ttlHours: 'abc' })).toMatchObject({ ok: false, errors: { ttlHours: expect.any(String) } });
    expect(parseCacheDraft({ semanticEnabled: true, threshold: '1.01', ttlHours: '9000' })).toMatchObject({ ok: false });
  });
  it('explains the threshold trade-off by band', () => {
    expect(describeThreshold(0.95)).toMatch(/rewordings/);
    expect(describeThreshold(0.995)).toMatch(/near-identical/);
    expect(describeThreshold(0.92)).toMatch(/some different questions/);
    expect(describeThreshold(0.6)).toMatch(/Not recommended/);
  });
  it('formats rates and exact USD strings', () => {
    expect(formatRate(0)).toBe('0%');
    expect(formatRate(0.5)).toBe('50%');
    expect(formatRate(2 / 3)).toBe('66.7%');
    expect(formatRate(1)).toBe('100%');
    expect(formatRate(0.0123)).toBe('1.23%');
    expect(formatUsd('0.000300')).toBe('$0.0003');
    expect(formatUsd('12.345678')).toBe('$12.34');
    expect(formatUsd('0.000000')).toBe('$0.0000');
    expect(formatUsd('0.000042')).toBe('$0.000042');
    expect(formatUsd('-0.012300')).toBe('-$0.0123');
  });
});
