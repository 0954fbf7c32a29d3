import { AppError } from '../../../../shared/errors.js';

/**
 * The schema uses a keyword (or a combination) the grammar cannot enforce exactly.
 * We never emit a grammar that is weaker than the schema: the caller either picks another schema,
 * or opts into `allowPostValidation` and validates the listed keywords after generation.
 */
export class SchemaCompileError extends AppError {
  constructor(
    readonly keyword: string,
    readonly pointer: string,
    message?: string,
  ) {
    super('SCHEMA_UNSUPPORTED', message ?? `Keyword "${keyword}" at "${pointer || '#'}" cannot be enforced by a grammar`, {
      details: { keyword, pointer },
    });
  }
}
