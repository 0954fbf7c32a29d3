import { AppError } from '../../../shared/errors.js';

/** HTTP 429: retry after `retryAfterMs` (from Retry-After) or with backoff. */
export class ProviderRateLimitedError extends AppError {
  constructor(readonly provider: string, readonly retryAfterMs: number | null, reason: string) {
    super('RATE_LIMITED', `${provider} is rate-limiting requests${retryAfterMs === null ? '' : ` (retry after ${retryAfterMs} ms)`}: ${reason}`, {
      details: { provider, retryAfterMs, status: 429 },
      retryable: true,
    });
  }
}

/** 5xx, 408, connection refused or reset: the provider may recover. */
export class ProviderUnavailableError extends AppError {
  constructor(readonly provider: string, reason: string, cause?: unknown, readonly status: number | null = null) {
    super('PROVIDER_UNAVAILABLE', `${provider} is unavailable: ${reason}`, { details: { provider, status }, retryable: true, cause });
  }
}

/** Any other failure the provider reported (bad request, auth, malformed body). */
export class ProviderError extends AppError {
  constructor(readonly provider: string, readonly status: number, reason: string, retryable: boolean) {
    super('PROVIDER_ERROR', `${provider} answered with an error (HTTP ${status}): ${reason}`, {
      details: { provider, status },
      retryable,
    });
  }
}
