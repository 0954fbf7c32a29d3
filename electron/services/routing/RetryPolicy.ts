import { isAppError } from '../../../shared/errors.js';
import { abortableSleep } from './abortableSleep.js';
import { RequestCancelledError } from './RequestCancelledError.js';

export interface RetryPolicyOptions {
  /** Attempts per provider, the first try included. Default 3. */
  maxAttempts?: number;
  /** Backoff base: the cap of the jitter window doubles from this. Default 250 ms. */
  baseDelayMs?: number;
  /** Upper bound of the jitter window. Default 20 s. */
  maxDelayMs?: number;
  /**
   * A Retry-After longer than this is not waited for: the provider is given up and the chain falls back
   * (a user waiting a minute for a chat answer is worse than asking another provider). Default 60 s.
   */
  maxRetryAfterMs?: number;
  /**
   * Dollar cap for ONE logical request, all attempts and fallbacks together, in micro-dollars: a retry is not made
   * when the spend so far plus the worst case of the next attempt (prompt + maxTokens, priced) would exceed it.
   * Unpriced models are never stopped by it. Default: no cap.
   */
  maxCostMicros?: number;
  /** Uniform [0,1). Default Math.random; tests pass `seededRandom(seed)`. */
  random?: () => number;
  /** Waits `ms`, rejecting with RequestCancelledError when `signal` aborts. Default: a real abortable timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** ms clock used for latencies and ledger timestamps. Default Date.now. */
  now?: () => number;
}

/** What to do after a failed attempt. */
export type RetryDecision =
  | { retry: true; delayMs: number; basis: 'retry-after' | 'backoff' }
  | { retry: false; reason: 'not-retryable' | 'attempts-exhausted' | 'cost-cap' | 'retry-after-too-long' };

/**
 * Exponential backoff with FULL jitter (AWS architecture blog: sleep = random(0, min(cap, base·2^n))), which
 * spreads a thundering herd better than equal or decorrelated jitter at the same mean latency. A server's
 * Retry-After (`details.retryAfterMs` on RATE_LIMITED) replaces the backoff exactly: the server knows its window,
 * and waiting less just earns another 429. Only errors flagged `retryable` (429, 5xx, timeouts, resets, malformed
 * bodies) are retried; cancellation never is.
 */
export class RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly maxCostMicros: number;
  readonly now: () => number;
  private readonly random: () => number;
  private readonly sleepImpl: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: RetryPolicyOptions = {}) {
    this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 3));
    this.baseDelayMs = options.baseDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 20_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.maxCostMicros = options.maxCostMicros ?? Number.POSITIVE_INFINITY;
    this.random = options.random ?? Math.random;
    this.sleepImpl = options.sleep ?? abortableSleep;
    this.now = options.now ?? Date.now;
  }

  /** The full-jitter delay before retry number `retry` (1 = first retry). */
  backoffMs(retry: number): number {
    const window = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.max(0, retry - 1));
    return Math.floor(this.random() * window);
  }

  /**
   * @param attemptsOnProvider attempts already made on the current provider (≥ 1)
   * @param spentMicros priced spend of every attempt of this request so far
   * @param nextWorstCaseMicros priced worst case of one more attempt; null when unpriced
   */
  decide(error: unknown, attemptsOnProvider: number, spentMicros: number, nextWorstCaseMicros: number | null): RetryDecision {
    if (!isAppError(error) || !error.retryable || error.code === 'CANCELLED') return { retry: false, reason: 'not-retryable' };
    if (attemptsOnProvider >= this.maxAttempts) return { retry: false, reason: 'attempts-exhausted' };
    if (nextWorstCaseMicros !== null && spentMicros + nextWorstCaseMicros > this.maxCostMicros) return { retry: false, reason: 'cost-cap' };
    const retryAfter = error.details?.retryAfterMs;
    if (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0) {
      if (retryAfter > this.maxRetryAfterMs) return { retry: false, reason: 'retry-after-too-long' };
      return { retry: true, delayMs: retryAfter, basis: 'retry-after' };
    }
    return { retry: true, delayMs: this.backoffMs(attemptsOnProvider), basis: 'backoff' };
  }

  /** Waits with the injected sleep; an aborted signal rejects with RequestCancelledError. */
  async wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new RequestCancelledError('backoff', signal.reason);
    await this.sleepImpl(ms, signal);
    if (signal?.aborted) throw new RequestCancelledError('backoff', signal.reason);
  }
}
