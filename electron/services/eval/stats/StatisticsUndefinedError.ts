import { AppError } from '../../../../shared/errors.js';

/**
 * A test statistic is undefined for this input: zero variance (every difference equal), too few
 * observations, or no discordant pairs. Callers should report "no evidence either way" rather
 * than a p-value; SciPy returns NaN here, we throw so the NaN cannot leak into a summary.
 */
export class StatisticsUndefinedError extends AppError {
  constructor(
    readonly test: string,
    readonly reason: string,
  ) {
    super('STATISTICS_UNDEFINED', `The ${test} statistic is undefined: ${reason}.`, {
      details: { test, reason },
      retryable: false,
    });
  }
}
