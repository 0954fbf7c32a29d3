import { AppError } from '../../../shared/errors.js';

/** Self-consistency got no usable answer from any sample (every extraction was truncated at its token limit). */
export class NoConsensusError extends AppError {
  constructor(
    readonly samples: number,
    readonly truncated: number,
  ) {
    super('VALIDATION_FAILED', `None of the ${samples} samples produced a complete final answer (${truncated} truncated); raise answerMaxTokens.`, {
      details: { samples, truncated },
      retryable: false,
    });
  }
}
