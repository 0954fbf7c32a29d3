import { readFile, stat } from 'node:fs/promises';
import nodePath from 'node:path';
import type { ParsedDocument } from './ParsedDocument.js';
import { DocumentEmptyError, DocumentTooLargeError, DocumentUnreadableError, UnsupportedFormatError } from './errors.js';
import { parseCsv } from './parseCsv.js';
import { parseDocx } from './parseDocx.js';
import { parseHtml } from './parseHtml.js';
import { parsePdf } from './parsePdf.js';
import { parsePlainText } from './parsePlainText.js';

export interface ParseFileOptions {
  /** Files larger than this fail with DocumentTooLargeError before being read. Default 100 MiB. */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;

/** Extensions {@link parseFile} accepts (lower case, with dot). */
export const SUPPORTED_EXTENSIONS = ['.pdf', '.docx', '.html', '.htm', '.md', '.markdown', '.txt', '.text', '.csv'] as const;

/**
 * Reads and parses one file by extension. Every failure is a typed per-file AppError carrying the
 * path: UNSUPPORTED_FORMAT, DOCUMENT_TOO_LARGE, DOCUMENT_UNREADABLE, DOCUMENT_ENCRYPTED, DOCUMENT_EMPTY.
 * Runs in the parse worker (see {@link ParseWorkerPool}) but is plain async code usable anywhere.
 */
export async function parseFile(path: string, options: ParseFileOptions = {}): Promise<ParsedDocument> {
  const ext = nodePath.extname(path).toLowerCase();
  if (!(SUPPORTED_EXTENSIONS as readonly string[]).includes(ext)) throw new UnsupportedFormatError(path, ext);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let data: Uint8Array;
  try {
    const st = await stat(path);
    if (st.size > maxBytes) throw new DocumentTooLargeError(path, st.size, maxBytes);
    data = await readFile(path);
  } catch (e) {
    if (e instanceof DocumentTooLargeError) throw e;
    throw new DocumentUnreadableError(path, (e as Error).message, e);
  }
  if (data.length === 0) throw new DocumentEmptyError(path);
  const title = nodePath.basename(path, ext);
  let doc: ParsedDocument;
  switch (ext) {
    case '.pdf':
      doc = await parsePdf(path, data, title);
      break;
    case '.docx':
      doc = await parseDocx(path, data, title);
      break;
    case '.html':
    case '.htm':
      doc = parseHtml(path, data, title);
      break;
    case '.csv':
      doc = parseCsv(path, data, title);
      break;
    default:
      doc = parsePlainText(path, data, title, ext === '.md' || ext === '.markdown');
  }
  if (doc.text.trim() === '') throw new DocumentEmptyError(path);
  return doc;
}
