import { AppError, isAppError, type AppErrorCode } from '../../../shared/errors.js';
import type { AttemptSummary } from './AttemptSummary.js';

/**
 * Every attempt on every provider of the fallback chain failed (or a final, non-retryable error stopped the
 * chain). Carries the LAST error's code and retryability so callers (and the renderer) switch on the real cause
 * (RATE_LIMITED, TIMEOUT, PROVIDER_ERROR...), plus the whole attempt history; `cause` is the last error.
 */
export class RequestFailedError extends AppError {
  constructor(
    readonly requestId: string,
    readonly attempts: readonly AttemptSummary[],
    readonly stopReason: StopReason,
    readonly lastError: unknown,
  ) {
    const code: AppErrorCode = isAppError(lastError) ? lastError.code : 'INTERNAL';
    const last = lastError instanceof Error ? lastError.message : String(lastError);
    super(code, `The request failed after ${attempts.length} attempt(s) (${stopReason}): ${last}`, {
      details: { requestId, stopReason, attempts: attempts.map((a) => ({ ...a })) },
      retryable: isAppError(lastError) ? lastError.retryable : false,
      cause: lastError,
    });
  }
}

/** Why the pipeline stopped trying. */
export type StopReason =
  /** A non-retryable, non-provider-down error (e.g. HTTP 400): trying elsewhere would fail the same way. */
  | 'not-retryable'
  /** Every provider reached its attempt cap. */
  | 'attempts-exhausted'
  /** Another attempt would have pushed the spend of this request past `maxCostMicros`. */
  | 'cost-cap'
  /** The server asked to wait longer than `maxRetryAfterMs` and no fallback was left. */
  | 'retry-after-too-long';
