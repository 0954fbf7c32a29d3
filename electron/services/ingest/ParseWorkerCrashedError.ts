import { AppError } from '../../../shared/errors.js';

/**
 * The parser thread died while this file was being parsed (out of memory on a hostile PDF, a native crash,
 * an uncaught error). Retryable: the pool starts a fresh thread, so trying again may succeed — unless the
 * file itself kills the parser every time, which is why callers retry at most once.
 */
export class ParseWorkerCrashedError extends AppError {
  constructor(
    readonly path: string,
    readonly reason: string,
    options: { cause?: unknown } = {},
  ) {
    super('DOCUMENT_UNREADABLE', `The document parser stopped while reading ${path}: ${reason}. Try again.`, {
      details: { path, reason },
      retryable: true,
      cause: options.cause,
    });
  }
}
