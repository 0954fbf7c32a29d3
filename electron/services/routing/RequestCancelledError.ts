import { AppError } from '../../../shared/errors.js';

/** The caller's AbortSignal fired: during a provider call or while waiting to retry. */
export class RequestCancelledError extends AppError {
  constructor(readonly phase: 'attempt' | 'backoff' | 'preflight', cause?: unknown) {
    super('CANCELLED', `The request was cancelled (${phase}).`, { details: { phase }, retryable: false, cause });
  }
}
