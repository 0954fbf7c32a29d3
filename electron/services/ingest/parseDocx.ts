import { buildParsedDocument, type ParsedDocument } from './ParsedDocument.js';
import { DocumentUnreadableError } from './errors.js';

/**
 * Extracts a DOCX's raw text with mammoth (paragraphs separated by blank lines). DOCX has no
 * stable page numbers, so the whole document is page 1.
 */
export async function parseDocx(path: string, data: Uint8Array, fallbackTitle: string): Promise<ParsedDocument> {
  const mammoth = (await import('mammoth')).default;
  let text: string;
  try {
    const result = await mammoth.extractRawText({ buffer: Buffer.from(data) });
    text = result.value;
  } catch (e) {
    throw new DocumentUnreadableError(path, (e as Error).message ?? String(e), e);
  }
  return buildParsedDocument(fallbackTitle, 'docx', [text.replace(/\n{3,}/g, '\n\n').trim()]);
}
