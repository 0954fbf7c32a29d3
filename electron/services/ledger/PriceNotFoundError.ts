import { AppError } from '../../../shared/errors.js';

/** No price row for `model` is in force at `at` (import prices with `ledger prices import`). */
export class PriceNotFoundError extends AppError {
  constructor(
    readonly model: string,
    readonly at: number,
  ) {
    super('PRICE_UNKNOWN', `No price is known for model "${model}" at ${new Date(at).toISOString()}.`, {
      details: { model, at },
      retryable: false,
    });
  }
}
