import { AppError } from '../../../../shared/errors.js';
import type { DatasetLineError } from './parseDatasetJsonl.js';

/** A dataset had no usable case at all (or an invalid name). Details list the first 20 line errors. */
export class DatasetInvalidError extends AppError {
  constructor(
    readonly dataset: string,
    readonly errors: readonly DatasetLineError[],
    message?: string,
  ) {
    super(
      'DATASET_INVALID',
      message ??
        `Dataset "${dataset}" has no usable case${errors.length ? `: line ${errors[0]!.line}: ${errors[0]!.message}` : ' (it is empty)'}${errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : ''}.`,
      { details: { dataset, errors: errors.slice(0, 20), errorCount: errors.length }, retryable: false },
    );
  }
}
