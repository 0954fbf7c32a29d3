import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { ProviderError, ProviderRateLimitedError, ProviderUnavailableError } from '../llm/index.js';
import { abortableSleep } from './abortableSleep.js';
import { RetryPolicy } from './RetryPolicy.js';
import { seededRandom } from './seededRandom.js';

const down = new ProviderUnavailableError('p', 'HTTP 500', undefined, 500);

describe('RetryPolicy', () => {
  it('full jitter: delays fall in [0, min(cap, base·2^(n-1))) and are reproducible from the seed', () => {
    const p1 = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: seededRandom(42) });
    const p2 = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: seededRandom(42) });
    const d1 = Array.from({ length: 200 }, (_, i) => p1.backoffMs((i % 8) + 1));
    const d2 = Array.from({ length: 200 }, (_, i) => p2.backoffMs((i % 8) + 1));
    expect(d1).toEqual(d2);
    d1.forEach((d, i) => {
      const window = Math.min(1000, 100 * 2 ** (i % 8));
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(window);
    });
    // jitter really spreads: the 8th retry's delays are not all the same
    expect(new Set(d1.filter((_, i) => i % 8 === 7)).size).toBeGreaterThan(10);
  });

  it('uses Retry-After exactly, and gives up on one longer than maxRetryAfterMs', () => {
    const p = new RetryPolicy({ maxRetryAfterMs: 5000 });
    expect(p.decide(new ProviderRateLimitedError('p', 1500, 'slow down'), 1, 0, null)).toEqual({ retry: true, delayMs: 1500, basis: 'retry-after' });
    expect(p.decide(new ProviderRateLimitedError('p', 9000, 'slow down'), 1, 0, null)).toEqual({ retry: false, reason: 'retry-after-too-long' });
    expect(p.decide(new ProviderRateLimitedError('p', null, 'slow down'), 1, 0, null)).toMatchObject({ retry: true, basis: 'backoff' });
  });

  it('retries only retryable errors, never cancellation or unknown errors', () => {
    const p = new RetryPolicy();
    expect(p.decide(down, 1, 0, null).retry).toBe(true);
    expect(p.decide(new AppError('TIMEOUT', 't'), 1, 0, null).retry).toBe(true);
    expect(p.decide(new ProviderError('p', 400, 'bad', false), 1, 0, null)).toEqual({ retry: false, reason: 'not-retryable' });
    expect(p.decide(new AppError('CANCELLED', 'c', { retryable: true }), 1, 0, null)).toEqual({ retry: false, reason: 'not-retryable' });
    expect(p.decide(new Error('bug'), 1, 0, null)).toEqual({ retry: false, reason: 'not-retryable' });
  });

  it('caps attempts and dollars', () => {
    const p = new RetryPolicy({ maxAttempts: 3, maxCostMicros: 1000 });
    expect(p.decide(down, 2, 0, 10).retry).toBe(true);
    expect(p.decide(down, 3, 0, 10)).toEqual({ retry: false, reason: 'attempts-exhausted' });
    expect(p.decide(down, 1, 600, 400).retry).toBe(true); // exactly at the cap is allowed
    expect(p.decide(down, 1, 601, 400)).toEqual({ retry: false, reason: 'cost-cap' });
    expect(p.decide(down, 1, 5000, null).retry).toBe(true); // unpriced models are not dollar-capped
  });

  it('abortableSleep waits for real and an abort cuts it short with CANCELLED', async () => {
    const t0 = performance.now();
    await abortableSleep(60);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    const c = new AbortController();
    setTimeout(() => c.abort(), 20);
    const t1 = performance.now();
    await expect(new RetryPolicy().wait(10_000, c.signal)).rejects.toMatchObject({ code: 'CANCELLED', details: { phase: 'backoff' } });
    expect(performance.now() - t1).toBeLessThan(1000);
    await expect(new RetryPolicy().wait(1, AbortSignal.abort())).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
