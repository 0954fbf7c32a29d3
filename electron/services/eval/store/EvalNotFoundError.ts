import { AppError } from '../../../../shared/errors.js';

/** A dataset (version), run or A/B test id that the eval store does not have. */
export class EvalNotFoundError extends AppError {
  constructor(
    readonly entity: 'dataset' | 'run' | 'ab',
    readonly id: string,
  ) {
    super('NOT_FOUND', `No eval ${entity === 'ab' ? 'A/B test' : entity} "${id}".`, { details: { entity, id }, retryable: false });
  }
}
