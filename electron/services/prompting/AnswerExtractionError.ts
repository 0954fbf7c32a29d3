import { AppError } from '../../../shared/errors.js';

/**
 * A grammar-constrained answer did not parse or match its constraint although the grammar should have made
 * that impossible (a grammar/validator mismatch, i.e. a bug) — never thrown for a truncated answer, which
 * abstains instead. Carries the raw text so the mismatch can be reproduced.
 */
export class AnswerExtractionError extends AppError {
  constructor(
    readonly step: string,
    readonly text: string,
    readonly reason: string,
  ) {
    super('VALIDATION_FAILED', `The ${step} output ${JSON.stringify(text.slice(0, 120))} is invalid: ${reason}`, {
      details: { step, text: text.slice(0, 2000), reason },
      retryable: false,
    });
  }
}
