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
