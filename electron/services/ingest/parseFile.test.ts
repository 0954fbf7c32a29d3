import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageAt } from './ParsedDocument.js';
import { parseFile } from './parseFile.js';
import { buildDocx, buildPdf } from './testing/buildTestFiles.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hearth-parse-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const put = async (name: string, data: string | Buffer) => {
  const p = path.join(dir, name);
  await writeFile(p, data);
  return p;
};

describe('parseFile', () => {
  it('PDF: keeps page numbers, offsets and the Info title', async () => {
    const doc = await parseFile(await put('two.pdf', buildPdf(['Alpha line one.\nAlpha line (two).', 'Beta page text.'], { title: 'Two Pages' })));
    expect(doc.title).toBe('Two Pages');
    expect(doc.pages.map((p) => p.page)).toEqual([1, 2]);
    expect(doc.pages[0]!.text).toBe('Alpha line one.\nAlpha line (two).');
    expect(doc.pages[1]!.text).toBe('Beta page text.');
    const at = doc.text.indexOf('Beta');
    expect(doc.pages[1]!.charStart).toBe(at);
    expect(pageAt(doc, at)).toBe(2);
    expect(pageAt(doc, at - 1)).toBe(1);
  }, 120_000);

  it('PDF failures: encrypted, truncated, not a PDF, no text', async () => {
    await expect(parseFile(await put('enc.pdf', buildPdf(['x'], { encrypt: true })))).rejects.toMatchObject({ code: 'DOCUMENT_ENCRYPTED' });
    await expect(parseFile(await put('cut.pdf', buildPdf(['x y z']).subarray(0, 40)))).rejects.toMatchObject({ code: 'DOCUMENT_UNREADABLE' });
    await expect(parseFile(await put('fake.pdf', 'hello'))).rejects.toMatchObject({ code: 'DOCUMENT_UNREADABLE' });
    await expect(parseFile(await put('blank.pdf', buildPdf(['', ''])))).rejects.toMatchObject({ code: 'DOCUMENT_EMPTY' });
  }, 120_000);

  it('DOCX, HTML, Markdown, text and CSV', async () => {
    const docx = await parseFile(await put('a.docx', buildDocx(['Para one & more.', 'Para <two>.'])));
    expect(docx.text).toBe('Para one & more.\n\nPara <two>.');
    await expect(parseFile(await put('bad.docx', 'PK garbage'))).rejects.toMatchObject({ code: 'DOCUMENT_UNREADABLE' });
    const html = await parseFile(await put('p.html', '<html><head><title>T &amp; C</title><style>p{}</style></head><body><script>alert(1)</script><p>Hello&nbsp;<b>world</b></p><div>Next block</div></body></html>'));
    expect(html.title).toBe('T & C');
    expect(html.text).toMatch(/^Hello.world\n\nNext block$/);
    const md = await parseFile(await put('n.md', 'intro\n# Real Title\n\nbody'));
    expect(md.title).toBe('Real Title');
    expect(md.text).toBe('intro\n# Real Title\n\nbody');
    const txt = await parseFile(await put('f.txt', '\uFEFFpage one\r\n\fpage two'));
    expect(txt.pages.map((p) => p.text)).toEqual(['page one\n', 'page two']);
    const csv = await parseFile(await put('t.csv', 'a,b\n1,"x, ""y"""\n2,\n'));
    expect(csv.text).toBe('a: 1; b: x, "y"\na: 2; b: ');
    await expect(parseFile(await put('x.xyz', 'data'))).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', details: { extension: '.xyz' } });
    await expect(parseFile(await put('big.txt', 'a'.repeat(100)), { maxBytes: 10 })).rejects.toMatchObject({ code: 'DOCUMENT_TOO_LARGE', details: { sizeBytes: 100, maxBytes: 10 } });
    await expect(parseFile(await put('ws.txt', '   \n '))).rejects.toMatchObject({ code: 'DOCUMENT_EMPTY' });
  }, 120_000);
});
