import { AppError } from '../../../../shared/errors.js';

/** The input is not a valid JSON Schema (wrong keyword value type, dangling `$ref`, ...). */
export class SchemaInvalidError extends AppError {
  constructor(
    readonly keyword: string,
    readonly pointer: string,
    reason: string,
  ) {
    super('SCHEMA_INVALID', `Invalid schema at "${pointer || '#'}" (${keyword}): ${reason}`, {
      details: { keyword, pointer, reason },
    });
  }
}
