import { AppError } from '../../../../shared/errors.js';

/** A batched answer is not a JSON array of exactly the expected number of results. */
export class BatchSplitError extends AppError {
  constructor(readonly expected: number, readonly got: number | null, reason: string) {
    super('VALIDATION_FAILED', `The batched answer cannot be split into ${expected} results: ${reason}`, { details: { expected, got } });
  }
}
