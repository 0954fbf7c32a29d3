import { AppError } from '../../../shared/errors.js';

/** The file's sha256 (or size) is not what the manifest or server promised; the partial file was deleted. */
export class ChecksumMismatchError extends AppError {
  constructor(readonly file: string, readonly expected: string, readonly actual: string) {
    super('CHECKSUM_MISMATCH', `The download of ${file} is corrupt (expected ${expected}, got ${actual}). It was deleted; try again.`, {
      details: { file, expected, actual },
    });
  }
}

/** The server refused or broke off the download. Retryable: a later call resumes from the partial file. */
export class DownloadFailedError extends AppError {
  constructor(readonly url: string, reason: string, readonly status: number | null = null, cause?: unknown) {
    super('DOWNLOAD_FAILED', `Downloading ${url} failed: ${reason}`, { details: { url, status }, retryable: true, cause });
  }
}

/** The same file is already being downloaded (two writers would corrupt the partial file). */
export class DownloadInProgressError extends AppError {
  constructor(readonly file: string) {
    super('INVALID_INPUT', `${file} is already downloading. Wait for it, or cancel it first.`, { details: { file, reason: 'in-progress' } });
  }
}
