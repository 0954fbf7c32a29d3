import { AppError } from '../../../shared/errors.js';

/** No candidate model's context window can hold the prompt plus the requested completion. */
export class NoEligibleModelError extends AppError {
  constructor(readonly neededTokens: number, readonly largestContext: number) {
    super('NO_ELIGIBLE_MODEL', `No configured model can fit ${neededTokens} tokens (largest context: ${largestContext}). Shorten the prompt or lower maxTokens.`, {
      details: { neededTokens, largestContext },
    });
  }
}
