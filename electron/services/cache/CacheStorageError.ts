import { AppError } from '../../../shared/errors.js';

/** The cache's SQLite file could not be opened or written (permissions, corruption, disk). */
export class CacheStorageError extends AppError {
  constructor(readonly file: string, readonly operation: string, cause?: unknown) {
    super('STORAGE_IO', `The response cache at ${file} failed during ${operation}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      details: { file, operation },
      cause,
    });
  }
}
