import { AppError } from '../../../shared/errors.js';

/** The file could not be read or parsed (corrupt, truncated, not what its extension says). */
export class DocumentUnreadableError extends AppError {
  constructor(readonly path: string, readonly reason: string, cause?: unknown) {
    super('DOCUMENT_UNREADABLE', `Could not read ${path}: ${reason}`, { details: { path, reason }, cause });
  }
}

/** The document is password-protected (a PDF with an /Encrypt dictionary we cannot open). */
export class DocumentEncryptedError extends AppError {
  constructor(readonly path: string, cause?: unknown) {
    super('DOCUMENT_ENCRYPTED', `${path} is encrypted or password-protected; remove the password and try again.`, {
      details: { path },
      cause,
    });
  }
}

/** The file is empty or has no extractable text (e.g. a scanned PDF without OCR). */
export class DocumentEmptyError extends AppError {
  constructor(readonly path: string) {
    super('DOCUMENT_EMPTY', `${path} contains no extractable text.`, { details: { path } });
  }
}

/** No parser for this file type. */
export class UnsupportedFormatError extends AppError {
  constructor(readonly path: string, readonly extension: string) {
    super('UNSUPPORTED_FORMAT', `Unsupported file type "${extension || '(none)'}" for ${path}.`, {
      details: { path, extension },
    });
  }
}

/** The file is larger than the configured size cap. */
export class DocumentTooLargeError extends AppError {
  constructor(readonly path: string, readonly sizeBytes: number, readonly maxBytes: number) {
    super('DOCUMENT_TOO_LARGE', `${path} is ${sizeBytes} bytes; the limit is ${maxBytes} bytes.`, {
      details: { path, sizeBytes, maxBytes },
    });
  }
}

/** An ingest was aborted through its AbortSignal. */
export class IngestCancelledError extends AppError {
  constructor(readonly filesDone: number) {
    super('CANCELLED', `Ingestion cancelled after ${filesDone} file(s).`, { details: { filesDone } });
  }
}

/**
 * A file name or path the user (or a compromised renderer) gave was refused: an uploaded name with
 * folders, `..`, control characters or a leading dot, or a path that is relative, a folder or not a regular file.
 */
export class SourcePathRejectedError extends AppError {
  constructor(
    readonly fileName: string,
    readonly reason: 'relative-path' | 'not-a-file' | 'unsafe-name',
  ) {
    const why = {
      'relative-path': 'only absolute paths of files you picked can be added',
      'not-a-file': 'it is a folder or a special file, not a regular file',
      'unsafe-name': 'the file name contains folders, "..", control characters or starts with a dot',
    }[reason];
    super('PATH_NOT_ALLOWED', `Refused "${fileName.slice(0, 200)}": ${why}.`, { details: { name: fileName.slice(0, 300), reason } });
  }
}

/** A source file that does not exist (anymore). */
export class SourceMissingError extends AppError {
  constructor(readonly path: string) {
    super('NOT_FOUND', `${path} does not exist (moved or deleted?). Add it again from its new place.`, { details: { path } });
  }
}
