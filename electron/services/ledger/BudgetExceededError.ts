import { AppError } from '../../../shared/errors.js';
import { Micros } from './Micros.js';

export type BudgetScope = 'user' | 'project';
export type BudgetPeriod = 'day' | 'month';

/** A pre-flight check found that spending `estimate` now would push a budget past its limit. */
export class BudgetExceededError extends AppError {
  constructor(
    readonly scope: BudgetScope,
    readonly scopeId: string,
    readonly period: BudgetPeriod,
    readonly limitMicros: number,
    readonly spentMicros: number,
    readonly estimateMicros: number,
  ) {
    const limitUsd = Micros.formatUsd(limitMicros);
    const spentUsd = Micros.formatUsd(spentMicros);
    const estimateUsd = Micros.formatUsd(estimateMicros);
    super(
      'BUDGET_EXCEEDED',
      `The ${period}ly budget for ${scope} "${scopeId}" ($${limitUsd}) would be exceeded: $${spentUsd} spent, this request is estimated at $${estimateUsd}.`,
      { details: { scope, scopeId, period, limitUsd, spentUsd, estimateUsd }, retryable: false },
    );
  }
}
