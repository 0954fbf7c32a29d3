import { AppError } from '../../../shared/errors.js';

/** `generate` was called with an empty fallback chain. */
export class NoProvidersError extends AppError {
  constructor(readonly endpoint: string) {
    super('INVALID_INPUT', `No provider was given for ${endpoint}.`, { details: { endpoint } });
  }
}
