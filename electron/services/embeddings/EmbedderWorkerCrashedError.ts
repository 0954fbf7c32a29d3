import { AppError } from '../../../shared/errors.js';

/** The embedder thread died (native crash, out of memory, uncaught error); pending calls fail with this. Retryable: a new `EmbedderWorker` may succeed. */
export class EmbedderWorkerCrashedError extends AppError {
  constructor(
    readonly modelId: string,
    readonly reason: string,
    options: { cause?: unknown } = {},
  ) {
    super('INTERNAL', `The embedding worker for "${modelId}" stopped: ${reason}`, {
      details: { modelId, reason },
      retryable: true,
      cause: options.cause,
    });
  }
}
