import { AppError } from '../../../shared/errors.js';

/** llama.cpp rejected a LoRA adapter for a base model (wrong architecture or shapes, not an adapter GGUF, unreadable). */
export class LoraAdapterLoadError extends AppError {
  constructor(
    readonly adapterPath: string,
    readonly modelPath: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super('MODEL_LOAD_FAILED', `Could not apply the LoRA adapter ${adapterPath} to ${modelPath}: ${reason}`, {
      details: { adapterPath, modelPath, reason },
      retryable: false,
      cause,
    });
  }
}
