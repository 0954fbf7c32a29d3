import { parse, type HTMLElement, type Node } from 'node-html-parser';
import { buildParsedDocument, type ParsedDocument } from './ParsedDocument.js';

const DROP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head']);
const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'header', 'footer', 'main', 'aside', 'nav', 'li', 'ul', 'ol', 'table', 'tr',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'blockquote', 'br', 'hr', 'dd', 'dt', 'figure', 'figcaption',
]);

/**
 * HTML to text with node-html-parser: drops script/style/noscript/template/svg/head, turns block
 * elements into paragraph breaks, decodes entities. Title from <title>, else the first <h1>.
 */
export function parseHtml(_path: string, data: Uint8Array, fallbackTitle: string): ParsedDocument {
  const root = parse(Buffer.from(data).toString('utf8'), { comment: false });
  const title = (root.querySelector('title')?.text ?? root.querySelector('h1')?.text ?? '').trim() || fallbackTitle;
  const out: string[] = [];
  const walk = (node: Node): void => {
    if (node.nodeType === 3) {
      out.push((node as unknown as { text: string }).text.replace(/\s+/g, ' '));
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as HTMLElement;
    const tag = el.rawTagName?.toLowerCase() ?? '';
    if (DROP.has(tag)) return;
    const block = BLOCK.has(tag);
    if (block) out.push('\n\n');
    for (const child of el.childNodes) walk(child);
    if (block) out.push('\n\n');
  };
  walk(root);
  const text = out
    .join('')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return buildParsedDocument(title, 'html', [text]);
}
