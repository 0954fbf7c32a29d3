import { AppError } from '../../../shared/errors.js';

/**
 * A tool was called with input it cannot handle (bad arithmetic, unknown date phrase). The ReAct loop turns
 * exactly this error into an "Observation: error …" the model can react to — that is the technique, not
 * swallowing: the error is kept, typed, in the trajectory. Any other error from a tool aborts the run.
 */
export class ToolInputError extends AppError {
  constructor(
    readonly tool: string,
    readonly input: string,
    readonly reason: string,
  ) {
    super('INVALID_INPUT', `${tool}: ${reason}`, { details: { tool, input: input.slice(0, 500), reason }, retryable: false });
  }
}
