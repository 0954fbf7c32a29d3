import { AppError } from '../../../shared/errors.js';

/** The caller's AbortSignal fired; `completed` texts (of `total`) had been embedded before the batch boundary where we stopped. */
export class EmbeddingCancelledError extends AppError {
  constructor(
    readonly completed: number,
    readonly total: number,
    options: { cause?: unknown } = {},
  ) {
    super('CANCELLED', `Embedding cancelled after ${completed} of ${total} texts.`, {
      details: { completed, total },
      retryable: false,
      cause: options.cause,
    });
  }
}
