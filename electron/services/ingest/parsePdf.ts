import { buildParsedDocument, type ParsedDocument } from './ParsedDocument.js';
import { DocumentEncryptedError, DocumentUnreadableError } from './errors.js';

/**
 * Parses a PDF with pdfjs-dist's legacy (Node) build, one {@link ParsedPage} per PDF page.
 * Text items are joined with spaces, and a newline where pdfjs reports end-of-line.
 * Password-protected files fail with DocumentEncryptedError; anything pdfjs cannot open
 * (bad header, truncated xref with no recoverable pages) fails with DocumentUnreadableError.
 */
export async function parsePdf(path: string, data: Uint8Array, fallbackTitle: string): Promise<ParsedDocument> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({
    data: new Uint8Array(data), // pdfjs detaches the buffer it is given
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  });
  let doc;
  try {
    doc = await task.promise;
  } catch (e) {
    await task.destroy().catch(() => undefined);
    if ((e as { name?: string }).name === 'PasswordException') throw new DocumentEncryptedError(path, e);
    throw new DocumentUnreadableError(path, (e as Error).message ?? String(e), e);
  }
  try {
    const pageTexts: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str;
        text += item.hasEOL ? '\n' : item.str.length > 0 && !item.str.endsWith(' ') ? ' ' : '';
      }
      pageTexts.push(text.replace(/[ \t]+\n/g, '\n').trim());
      page.cleanup();
    }
    let title = fallbackTitle;
    try {
      const meta = await doc.getMetadata();
      const t = (meta.info as { Title?: unknown } | undefined)?.Title;
      if (typeof t === 'string' && t.trim()) title = t.trim();
    } catch {
      // Metadata is optional; a missing or broken Info dict keeps the file-name title.
    }
    return buildParsedDocument(title, 'pdf', pageTexts);
  } catch (e) {
    throw new DocumentUnreadableError(path, (e as Error).message ?? String(e), e);
  } finally {
    await doc.destroy();
  }
}
