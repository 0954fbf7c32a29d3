import { AppError } from '../../../shared/errors.js';

/** `embed`/`score` was called after `dispose()`. A programming error on the caller's side. */
export class EmbedderDisposedError extends AppError {
  constructor(readonly modelId: string) {
    super('MODEL_NOT_LOADED', `The embedding model "${modelId}" has been disposed.`, { details: { modelId }, retryable: false });
  }
}
