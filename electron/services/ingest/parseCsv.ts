import { buildParsedDocument, type ParsedDocument } from './ParsedDocument.js';

/** Splits CSV text into rows of fields (RFC 4180: quoted fields, doubled quotes, newlines inside quotes). */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/**
 * CSV: each data row becomes one line "header1: value1; header2: value2", so a retrieved chunk
 * carries its column names (a bare "42, 17" row is useless to BM25 and to the LLM). Rows are
 * separated by newlines; the chunker then packs rows into chunks.
 */
export function parseCsv(_path: string, data: Uint8Array, fallbackTitle: string): ParsedDocument {
  const rows = readCsv(Buffer.from(data).toString('utf8').replace(/^\uFEFF/, ''));
  const header = rows[0] ?? [];
  const lines = rows.slice(1).map((r) => r.map((v, i) => `${header[i]?.trim() || `column${i + 1}`}: ${v.trim()}`).join('; '));
  const text = rows.length === 1 ? header.join('; ') : lines.join('\n');
  return buildParsedDocument(fallbackTitle, 'csv', [text]);
}
