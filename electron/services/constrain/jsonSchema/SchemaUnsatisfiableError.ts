import { AppError } from '../../../../shared/errors.js';

/** No JSON value satisfies the schema (e.g. `minimum > maximum`, a required property whose schema is `false`). */
export class SchemaUnsatisfiableError extends AppError {
  constructor(
    readonly keyword: string,
    readonly pointer: string,
    reason: string,
  ) {
    super('SCHEMA_UNSATISFIABLE', `Unsatisfiable schema at "${pointer || '#'}" (${keyword}): ${reason}`, {
      details: { keyword, pointer, reason },
    });
  }
}
