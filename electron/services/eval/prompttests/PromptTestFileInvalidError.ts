import { AppError } from '../../../../shared/errors.js';

/**
 * A prompt-test file failed to parse or validate. Uses code DATASET_INVALID (a test file is a
 * dataset of cases); `pointer` is the path of the first problem, e.g. "tests.0.assert.1.type".
 */
export class PromptTestFileInvalidError extends AppError {
  constructor(
    readonly file: string,
    readonly pointer: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super('DATASET_INVALID', `Prompt test file ${file} is invalid at ${pointer || '(root)'}: ${reason}`, {
      details: { file, pointer, reason },
      retryable: false,
      cause,
    });
  }
}
