/** One page (or the whole text for formats without pages) of a parsed document. */
export interface ParsedPage {
  /** 1-based page number; formats without pages have a single page 1. */
  page: number;
  text: string;
  /** Offset of this page's first character within {@link ParsedDocument.text}. */
  charStart: number;
}

/**
 * A parsed document. `text` is the pages joined by {@link PAGE_SEPARATOR}, so every chunk offset
 * is an offset into `text`, and `pages[i].charStart` maps an offset back to a page.
 */
export interface ParsedDocument {
  title: string;
  format: DocumentFormat;
  pages: ParsedPage[];
  text: string;
}

export type DocumentFormat = 'pdf' | 'docx' | 'html' | 'markdown' | 'text' | 'csv';

/** Separator inserted between pages in {@link ParsedDocument.text}; doubles as a paragraph break for chunking. */
export const PAGE_SEPARATOR = '\n\n';

/** Builds a ParsedDocument from page texts, computing each page's offset. */
export function buildParsedDocument(title: string, format: DocumentFormat, pageTexts: readonly string[]): ParsedDocument {
  const pages: ParsedPage[] = [];
  let offset = 0;
  const parts: string[] = [];
  pageTexts.forEach((text, i) => {
    if (i > 0) {
      parts.push(PAGE_SEPARATOR);
      offset += PAGE_SEPARATOR.length;
    }
    pages.push({ page: i + 1, text, charStart: offset });
    parts.push(text);
    offset += text.length;
  });
  return { title, format, pages, text: parts.join('') };
}

/** The 1-based page containing document offset `charOffset`. */
export function pageAt(doc: Pick<ParsedDocument, 'pages'>, charOffset: number): number {
  let lo = 0;
  let hi = doc.pages.length - 1;
  let found = doc.pages[0]?.page ?? 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = doc.pages[mid]!;
    if (p.charStart <= charOffset) {
      found = p.page;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
