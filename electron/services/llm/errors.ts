import { AppError } from '../../../shared/errors.js';

/** The model file does not exist or is not readable. */
export class ModelNotFoundError extends AppError {
  constructor(readonly path: string) {
    super('MODEL_NOT_FOUND', `No model file at ${path}.`, { details: { path } });
  }
}

/** The file is not a GGUF model, or its header or tensor data is damaged or truncated. */
export class ModelCorruptError extends AppError {
  constructor(readonly path: string, readonly reason: string, cause?: unknown) {
    super('MODEL_CORRUPT', `The model file ${path} is damaged or not a GGUF model: ${reason}`, {
      details: { path, reason },
      cause,
    });
  }
}

/** Loading would need more memory than this machine has. */
export class ModelTooLargeError extends AppError {
  constructor(readonly path: string, readonly requiredBytes: number, readonly availableBytes: number) {
    super(
      'MODEL_TOO_LARGE',
      `The model needs about ${(requiredBytes / 2 ** 30).toFixed(1)} GiB of memory but only ${(availableBytes / 2 ** 30).toFixed(1)} GiB is available.`,
      { details: { path, requiredBytes, availableBytes } },
    );
  }
}

/** llama.cpp refused to load a file whose header looked fine (unsupported architecture, bad tensor shapes...). */
export class ModelLoadError extends AppError {
  constructor(readonly path: string, readonly reason: string, cause?: unknown) {
    super('MODEL_LOAD_FAILED', `Could not load ${path}: ${reason}`, { details: { path, reason }, cause });
  }
}

/** A generation was requested while no model is loaded. */
export class ModelNotLoadedError extends AppError {
  constructor() {
    super('MODEL_NOT_LOADED', 'No model is loaded. Load one on the Models screen or with `models load`.');
  }
}

/** llama.cpp could not parse a GBNF grammar. */
export class GrammarInvalidError extends AppError {
  constructor(readonly reason: string, cause?: unknown) {
    super('GRAMMAR_INVALID', `The grammar is not valid GBNF: ${reason}`, { details: { reason }, cause });
  }
}
