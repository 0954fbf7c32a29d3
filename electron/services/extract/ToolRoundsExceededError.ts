import { AppError } from '../../../shared/errors.js';

/**
 * The model kept calling tools past `maxRounds` (with `onRoundLimit: 'throw'`). Carries the calls made so the
 * caller can show or resume them. Code 'TIMEOUT' until the lead adds a dedicated 'TOOL_ROUNDS_EXCEEDED'.
 */
export class ToolRoundsExceededError extends AppError {
  constructor(
    readonly maxRounds: number,
    readonly calls: readonly { name: string; arguments: unknown }[],
  ) {
    super('TOOL_ROUNDS_EXCEEDED', `The model was still calling tools after ${maxRounds} round(s): ${calls.map((c) => c.name).join(', ')}`, {
      details: { maxRounds, calls: calls.map((c) => c.name) },
      retryable: false,
    });
  }
}
