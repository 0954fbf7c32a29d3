import type { SerializedAppError } from '../../../../shared/errors.js';

/**
 * A human sentence and a way forward for a per-file ingest failure. The raw message (with the path
 * and the parser's reason) is shown below it for the curious.
 */
export function fileErrorAdvice(error: SerializedAppError, name: string): string {
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toUpperCase() : 'file';
  switch (error.code) {
    case 'DOCUMENT_ENCRYPTED':
      return `This ${ext} is encrypted — remove the password and add it again.`;
    case 'DOCUMENT_UNREADABLE':
      return `This ${ext} is damaged or not what its name says — open and re-save (or re-export) it, then add it again.`;
    case 'DOCUMENT_EMPTY':
      return `No text found in this ${ext} (a scan without OCR?) — run OCR or export it as text, then add it again.`;
    case 'DOCUMENT_TOO_LARGE': {
      const max = Number(error.details?.maxBytes);
      const limit = Number.isFinite(max) ? ` (limit ${Math.round(max / 2 ** 20)} MiB)` : '';
      return `This file is too large${limit} — split it into smaller parts and add those.`;
    }
    case 'UNSUPPORTED_FORMAT':
      return 'Hearth cannot read this file type — use PDF, Word (.docx), Markdown, HTML, CSV or plain text.';
    case 'PATH_NOT_ALLOWED':
      return 'Refused for safety (a folder, or a name with folders or a leading dot) — rename the file and add it again.';
    case 'NOT_FOUND':
      return 'The file is gone from where it was — add it again from its new place.';
    case 'CANCELLED':
      return 'Stopped before this file was processed — add it again.';
    case 'EMBEDDER_MISSING':
      return 'The embedding model is not installed — download it on the Models screen.';
    default:
      return 'This file could not be added.';
  }
}
