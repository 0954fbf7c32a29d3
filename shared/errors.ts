import { z } from 'zod';

/**
 * Every failure that crosses a process or transport boundary carries one of these codes.
 * The renderer switches on `code` to pick a human message and a way forward; `retryable`
 * tells callers (and the retry policy) whether trying again can help.
 */
export const AppErrorCode = z.enum([
  'INVALID_INPUT', // payload failed the contract's input schema
  'INVALID_OUTPUT', // a handler produced a value that failed the output schema (a bug on our side)
  'UNKNOWN_CHANNEL',
  'UNAUTHORIZED', // bridge token missing or wrong
  'FORBIDDEN_ORIGIN', // bridge Origin/Host check failed
  'NOT_FOUND',
  'CANCELLED',
  'TIMEOUT',
  'MODEL_NOT_FOUND',
  'MODEL_LOAD_FAILED',
  'MODEL_CORRUPT',
  'MODEL_TOO_LARGE',
  'MODEL_NOT_LOADED',
  'SCHEMA_INVALID',
  'SCHEMA_UNSUPPORTED',
  'SCHEMA_UNSATISFIABLE',
  'REGEX_UNSUPPORTED',
  'GRAMMAR_INVALID',
  'VALIDATION_FAILED',
  'DOCUMENT_UNREADABLE',
  'DOCUMENT_ENCRYPTED',
  'DOCUMENT_EMPTY',
  'DOCUMENT_TOO_LARGE',
  'UNSUPPORTED_FORMAT',
  'EMBEDDER_MISSING',
  'BUDGET_EXCEEDED',
  'RATE_LIMITED',
  'PROVIDER_ERROR',
  'PROVIDER_UNAVAILABLE',
  'NETWORK_BLOCKED',
  'DISK_FULL',
  'DATASET_INVALID',
  'TEMPLATE_VARIABLE_MISSING',
  'STATISTICS_UNDEFINED',
  'DOWNLOAD_FAILED',
  'CHECKSUM_MISMATCH',
  'PATH_NOT_ALLOWED',
  'NO_ELIGIBLE_MODEL', // routing found no model whose context window and quality bar fit the request
  'STORAGE_IO', // a local store (ledger, cache, index) failed to read or write
  'PRICE_UNKNOWN', // no price for this model at the time of the request
  'EMBEDDER_MISMATCH', // the index was built with another embedder (dimensions or model differ)
  'TOOL_ROUNDS_EXCEEDED', // a tool-calling loop hit its cap on call rounds
  'INTERNAL',
]);
export type AppErrorCode = z.infer<typeof AppErrorCode>;

/** Codes for which trying the same call again may succeed. */
const RETRYABLE_BY_DEFAULT: ReadonlySet<AppErrorCode> = new Set<AppErrorCode>([
  'RATE_LIMITED',
  'PROVIDER_UNAVAILABLE',
  'TIMEOUT',
  'DISK_FULL',
]);

/** The wire form of an error: no stack, only data the user or caller can act on. */
export const SerializedAppError = z.object({
  code: AppErrorCode,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  retryable: z.boolean(),
});
export type SerializedAppError = z.infer<typeof SerializedAppError>;

/**
 * The base of every typed failure. Subclasses (in the service that owns the failure) fix the
 * code and carry structured `details`, e.g. `BudgetExceededError {limitUsd, spentUsd, period}`.
 */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly retryable: boolean;

  constructor(
    code: AppErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
  }

  toSerialized(): SerializedAppError {
    return {
      code: this.code,
      message: this.message,
      ...(this.details === undefined ? {} : { details: this.details }),
      retryable: this.retryable,
    };
  }

  static fromSerialized(e: SerializedAppError): AppError {
    return new AppError(e.code, e.message, { details: e.details, retryable: e.retryable });
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
