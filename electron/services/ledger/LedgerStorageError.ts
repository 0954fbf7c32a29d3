import { AppError } from '../../../shared/errors.js';

/**
 * SQLite failed to write. `SQLITE_FULL` (disk or `max_page_count` full) becomes code
 * `DISK_FULL`, retryable: the failed transaction was rolled back whole and every earlier commit
 * is intact, so the caller can free space and retry. Other I/O failures (`SQLITE_IOERR*`,
 * `SQLITE_CORRUPT`, `SQLITE_READONLY`, `SQLITE_CANTOPEN`) become `INTERNAL`, not retryable.
 */
export class LedgerStorageError extends AppError {
  constructor(
    readonly sqliteCode: string,
    readonly operation: string,
    cause: unknown,
  ) {
    const full = sqliteCode === 'SQLITE_FULL';
    super(
      full ? 'DISK_FULL' : 'STORAGE_IO',
      full
        ? `The cost ledger could not save (${operation}): the disk is full. Free some space and try again; earlier entries are safe.`
        : `The cost ledger could not save (${operation}): storage error ${sqliteCode}.`,
      { details: { sqliteCode, operation }, retryable: full, cause },
    );
  }

  /** Returns the typed error for a SQLite storage failure, or `undefined` for anything else. */
  static fromSqlite(e: unknown, operation: string): LedgerStorageError | undefined {
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code !== 'string') return undefined;
    if (/^SQLITE_(FULL|IOERR|CORRUPT|READONLY|CANTOPEN|NOTADB)/.test(code)) {
      return new LedgerStorageError(code.startsWith('SQLITE_FULL') ? 'SQLITE_FULL' : code, operation, e);
    }
    return undefined;
  }
}
