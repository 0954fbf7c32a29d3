import { AppError } from '../../../shared/errors.js';

/** The model folder exists but the runtime could not load it (corrupt ONNX, bad config/tokenizer JSON, unsupported op). */
export class EmbedderLoadError extends AppError {
  constructor(
    readonly modelId: string,
    readonly path: string,
    readonly reason: string,
    options: { cause?: unknown } = {},
  ) {
    super('MODEL_LOAD_FAILED', `Could not load the embedding model "${modelId}" from ${path}: ${reason}`, {
      details: { modelId, path, reason },
      retryable: false,
      cause: options.cause,
    });
  }
}
