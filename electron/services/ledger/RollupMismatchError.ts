import { AppError } from '../../../shared/errors.js';

/**
 * An exact order statistic (p95, top N) found a cost bucket whose rollup count disagrees with the
 * rows the day/endpoint/cost index holds for it. Rollups are written in the same transaction as
 * their rows, so this means the file was edited outside the ledger; the report refuses to guess.
 */
export class RollupMismatchError extends AppError {
  constructor(
    readonly endpoint: string,
    readonly bucket: number,
    readonly rolledUp: number,
    readonly found: number,
  ) {
    super('INTERNAL', `Cost rollup for endpoint "${endpoint}" (bucket ${bucket}) counts ${rolledUp} requests but ${found} were found.`, {
      details: { endpoint, bucket, rolledUp, found },
    });
  }
}
