import { AppError } from '../../../shared/errors.js';

/** Every attempt produced output that failed validation (only possible with remote providers or post-validated keywords). */
export class ExtractionFailedError extends AppError {
  constructor(readonly attempts: number, readonly errors: string[], readonly lastOutput: string) {
    super('VALIDATION_FAILED', `No valid output after ${attempts} attempt(s): ${errors.slice(0, 3).join('; ')}`, {
      details: { attempts, errors: errors.slice(0, 20), lastOutput: lastOutput.slice(0, 2000) },
    });
  }
}
