import { pageAt, type ParsedDocument } from './ParsedDocument.js';

export interface ChunkOptions {
  /** The embedder's tokenizer: sizes are measured in the tokens the embedder will actually see. */
  countTokens: (text: string) => number;
  /** Maximum tokens per (child) chunk. Default 256: small enough for a precise citation and most embedders' 256–512 window. */
  chunkTokens?: number;
  /** Tokens repeated between consecutive chunks so a sentence cut at a boundary is whole in one of them. Default 32 (~12%). */
  overlapTokens?: number;
  /**
   * Parent-document mode: when set, the document is first cut into parents of `chunkTokens`
   * (default 1024, no overlap) and each parent into the small child chunks above. Children are
   * indexed (precise matching); parents are what retrieval returns (enough context to answer).
   * Costs ~(parent/child) × storage for parent text. Default: off.
   */
  parent?: { chunkTokens?: number };
  /** Separators tried in order; '' is the per-character fallback. Default `['\n\n', '\n', '. ', ' ', '']`. */
  separators?: readonly string[];
}

/** A span of the document text; offsets are into {@link ParsedDocument.text}. */
export interface TextSpan {
  text: string;
  charStart: number;
  /** Exclusive. */
  charEnd: number;
  /** Page of the first character (1-based). */
  page: number;
  /** Page of the last character. */
  pageEnd: number;
  tokenCount: number;
}

export interface TextChunk extends TextSpan {
  /** Position in the document's chunk sequence. */
  index: number;
  /** Parent section, in parent-document mode. */
  parent?: TextSpan & { index: number };
}

const DEFAULT_SEPARATORS = ['\n\n', '\n', '. ', ' ', ''] as const;

interface Atom {
  start: number;
  end: number;
  tokens: number;
}

/**
 * Token-aware recursive chunking with exact character offsets. The text is split on the first
 * separator that occurs (separators stay attached to the piece before them, so pieces tile the text);
 * pieces still over budget are split with the next separator, down to a per-character fallback;
 * then pieces are packed greedily into chunks of ≤ `chunkTokens`, carrying up to `overlapTokens` of
 * trailing pieces into the next chunk. Chunk token counts are exact (counted on the final text);
 * packing uses the sum of piece counts, which for BPE/WordPiece tokenizers is within a token or two
 * per boundary, so a chunk can exceed the budget by that much. Chunks are whitespace-trimmed and
 * `text === doc.text.slice(charStart, charEnd)` always holds.
 */
export function chunkDocument(doc: Pick<ParsedDocument, 'text' | 'pages'>, options: ChunkOptions): TextChunk[] {
  const chunkTokens = options.chunkTokens ?? 256;
  const overlap = Math.min(options.overlapTokens ?? 32, Math.floor(chunkTokens / 2));
  if (chunkTokens < 1) throw new RangeError('chunkTokens must be >= 1');
  const seps = options.separators ?? DEFAULT_SEPARATORS;
  const count = options.countTokens;
  const text = doc.text;

  const toSpan = (start: number, end: number, tokens?: number): TextSpan | undefined => {
    while (start < end && /\s/.test(text[start]!)) start++;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    if (start >= end) return undefined;
    const t = text.slice(start, end);
    return { text: t, charStart: start, charEnd: end, page: pageAt(doc, start), pageEnd: pageAt(doc, end - 1), tokenCount: tokens ?? count(t) };
  };

  const atoms = (start: number, end: number, sepIdx: number, size: number, out: Atom[]): void => {
    const tokens = count(text.slice(start, end));
    if (tokens <= size || end - start <= 1) {
      out.push({ start, end, tokens });
      return;
    }
    let i = sepIdx;
    while (i < seps.length && seps[i] !== '' && !text.slice(start, end).includes(seps[i]!)) i++;
    const sep = seps[i] ?? '';
    if (sep === '') {
      // Character fallback: proportional windows, halved until they fit.
      const width = Math.max(1, Math.floor(((end - start) * size) / tokens));
      for (let s = start; s < end; s += width) atoms(s, Math.min(end, s + width), seps.length, size, out);
      return;
    }
    let s = start;
    while (s < end) {
      const hit = text.indexOf(sep, s);
      const e = hit === -1 || hit + sep.length > end ? end : hit + sep.length;
      atoms(s, e, i + 1, size, out);
      s = e;
    }
  };

  const pack = (start: number, end: number, size: number, ovl: number): TextSpan[] => {
    const list: Atom[] = [];
    atoms(start, end, 0, size, list);
    const spans: TextSpan[] = [];
    const cur: Atom[] = [];
    let curTokens = 0;
    const emit = (): void => {
      const span = toSpan(cur[0]!.start, cur[cur.length - 1]!.end);
      const last = spans[spans.length - 1];
      // Skip a chunk that adds nothing beyond the previous one (e.g. overlap + a whitespace-only piece).
      if (span && (!last || span.charEnd > last.charEnd)) spans.push(span);
    };
    for (const a of list) {
      if (cur.length > 0 && curTokens + a.tokens > size) {
        emit();
        while (cur.length > 0 && (curTokens > ovl || curTokens + a.tokens > size)) curTokens -= cur.shift()!.tokens;
      }
      cur.push(a);
      curTokens += a.tokens;
    }
    if (cur.length > 0) emit();
    return spans;
  };

  if (!options.parent) return pack(0, text.length, chunkTokens, overlap).map((s, index) => ({ ...s, index }));
  const parentTokens = options.parent.chunkTokens ?? 1024;
  const out: TextChunk[] = [];
  pack(0, text.length, parentTokens, 0).forEach((parent, pIndex) => {
    for (const child of pack(parent.charStart, parent.charEnd, chunkTokens, overlap)) {
      out.push({ ...child, index: out.length, parent: { ...parent, index: pIndex } });
    }
  });
  return out;
}
