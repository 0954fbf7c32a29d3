import { AppError } from '../../../shared/errors.js';

/** The judge's output failed the verdict schema (truncated by its token limit, or a grammar/schema mismatch). */
export class JudgeVerdictInvalidError extends AppError {
  constructor(
    readonly criterion: string,
    readonly text: string,
    readonly reason: string,
  ) {
    super('VALIDATION_FAILED', `The ${criterion} verdict is invalid: ${reason}`, {
      details: { criterion, text: text.slice(0, 2000), reason },
      // a truncated verdict can succeed with a larger budget, but the same request will fail the same way
      retryable: false,
    });
  }
}
