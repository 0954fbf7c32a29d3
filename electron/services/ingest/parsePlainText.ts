import { buildParsedDocument, type ParsedDocument } from './ParsedDocument.js';

/**
 * Plain text and Markdown: kept verbatim (Markdown syntax is meaningful to both BM25 and the
 * LLM, and keeping it verbatim keeps citation offsets equal to file offsets). Form feeds (\f)
 * split pages. Markdown title is the first `# ` heading, else the file name.
 */
export function parsePlainText(_path: string, data: Uint8Array, fallbackTitle: string, markdown: boolean): ParsedDocument {
  const text = Buffer.from(data).toString('utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const pages = text.split('\f');
  let title = fallbackTitle;
  if (markdown) {
    const m = /^#\s+(.+)$/m.exec(text);
    if (m?.[1]) title = m[1].trim();
  }
  return buildParsedDocument(title, markdown ? 'markdown' : 'text', pages);
}
