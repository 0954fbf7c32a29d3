import { AppError } from '../../../../shared/errors.js';

/** The eval database could not be opened, read or written (disk full, locked, corrupt file). */
export class EvalStorageError extends AppError {
  constructor(
    readonly file: string,
    readonly operation: string,
    cause: unknown,
  ) {
    const full = (cause as { code?: string }).code === 'SQLITE_FULL';
    super(full ? 'DISK_FULL' : 'STORAGE_IO', `Eval store ${operation} failed (${file}): ${(cause as Error).message ?? String(cause)}`, {
      details: { file, operation },
      cause,
    });
  }
}
