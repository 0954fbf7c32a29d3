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
    const periodWord = period === 'day' ? 'daily' : 'monthly';
    super(
      'BUDGET_EXCEEDED',
      spentMicros >= limitMicros
        ? `The ${periodWord} budget for ${scope} "${scopeId}" ($${limitUsd}) is used up: $${spentUsd} spent so far this ${period}.`
        : `The ${periodWord} budget for ${scope} "${scopeId}" ($${limitUsd}) would be exceeded: $${spentUsd} spent, this request is estimated at $${estimateUsd}.`,
      { details: { scope, scopeId, period, limitUsd, spentUsd, estimateUsd, limitMicros, spentMicros, estimateMicros }, retryable: false },
    );
  }
}
