import { AppError } from '../../../shared/errors.js';

/** The embedding/reranking model folder (or a file the runtime needs in it) is not on disk. Not retryable: the user must download it. */
export class EmbedderMissingError extends AppError {
  constructor(
    readonly modelId: string,
    readonly path: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      'EMBEDDER_MISSING',
      `The embedding model "${modelId}" is not installed (expected at ${path}). Download it from the Models screen, or switch to the built-in USE-Lite embedder.`,
      { details: { modelId, path }, retryable: false, cause: options.cause },
    );
  }
}
