import { AppError } from '../../../../shared/errors.js';

/** A run (or A/B test) was stopped by its AbortSignal; the cases finished before that stay stored. */
export class EvalCancelledError extends AppError {
  constructor(
    readonly runId: string,
    readonly completed: number,
  ) {
    super('CANCELLED', `Eval run ${runId} was cancelled after ${completed} case result(s); resume it to finish.`, { details: { runId, completed }, retryable: false });
  }
}
