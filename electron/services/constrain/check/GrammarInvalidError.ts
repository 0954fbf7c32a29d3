import { AppError } from '../../../../shared/errors.js';

/**
 * llama.cpp refused a GBNF grammar. `reason` comes from `diagnoseGbnf` (syntax error with line, missing
 * root, undefined rule, left-recursion cycle) because llama.cpp's own message goes to stderr or to a
 * process-global async logger and cannot be attached here; it falls back to "llama.cpp failed to parse the
 * grammar" when the diagnosis finds nothing.
 */
export class GrammarInvalidError extends AppError {
  constructor(
    readonly reason: string,
    cause?: unknown,
  ) {
    super('GRAMMAR_INVALID', `Invalid GBNF grammar: ${reason}`, { details: { reason }, cause });
  }
}
