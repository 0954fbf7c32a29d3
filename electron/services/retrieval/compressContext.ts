import type { Embedder } from './EmbedderContract.js';

/** A passage to compress: text plus its offset in the source document (for citations). */
export interface CompressiblePassage {
  chunkId: string;
  docId: string;
  text: string;
  /** Document offset of `text[0]`. */
  charStart: number;
}

export interface KeptSentence {
  /** Index of the sentence within its passage (0-based), so a UI can show elisions. */
  index: number;
  text: string;
  /** Document offsets (exclusive end): `documentText.slice(charStart, charEnd) === text`. */
  charStart: number;
  charEnd: number;
  /** Cosine similarity to the query. */
  score: number;
}

export interface CompressedPassage {
  chunkId: string;
  docId: string;
  /** Kept sentences joined with ' … ' where sentences were dropped between them, else ' '. */
  text: string;
  sentences: KeptSentence[];
  originalChars: number;
  totalSentences: number;
}

export interface CompressContextOptions {
  embedder: Embedder;
  /**
   * Keep a sentence when its similarity ≥ relativeThreshold × the best sentence's similarity
   * (over all passages). Relative because absolute cosine levels differ per embedder. Default 0.75.
   */
  relativeThreshold?: number;
  /** Also require similarity ≥ this absolute floor. Default 0 (off). */
  minScore?: number;
  /** Keep at least this many best sentences per passage that has any (0 lets whole passages drop). Default 0. */
  minPerPassage?: number;
  signal?: AbortSignal;
}

/** Splits text into sentences with local offsets: after . ! ? followed by whitespace, and at line breaks. */
export function splitSentences(text: string): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  const re = /[^\n]*?(?:[.!?]+(?=\s|$)|\n|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      if (re.lastIndex > text.length) break;
      continue;
    }
    let start = m.index;
    let end = m.index + m[0].length;
    while (start < end && /\s/.test(text[start]!)) start++;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    if (end > start) out.push({ text: text.slice(start, end), start, end });
  }
  return out;
}

/**
 * Extractive contextual compression: keeps only the sentences of retrieved passages that are similar
 * to the question (one batched embed call for the query and all sentences), preserving order,
 * sentence ids and exact document offsets so citations still point at the source. Passages with no
 * kept sentence are dropped. Trade-off: cheap (no LLM) and citation-safe, but a sentence whose
 * relevance depends on its neighbour (e.g. "It failed in 1998.") can be lost; the LLM-chosen variant
 * handles those.
 */
export async function compressContext(query: string, passages: readonly CompressiblePassage[], options: CompressContextOptions): Promise<CompressedPassage[]> {
  const split = passages.map((p) => splitSentences(p.text));
  const flat = split.flat();
  if (flat.length === 0) return [];
  const [qv, ...sv] = await options.embedder.embed([query, ...flat.map((s) => s.text)], { signal: options.signal });
  const dot = (a: Float32Array, b: Float32Array) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
    return s;
  };
  const scores = sv.map((v) => dot(qv!, v));
  const best = Math.max(...scores);
  const cut = Math.max(options.minScore ?? 0, best * (options.relativeThreshold ?? 0.75));
  const out: CompressedPassage[] = [];
  let f = 0;
  passages.forEach((p, pi) => {
    const sents = split[pi]!;
    const scored = sents.map((s, i) => ({ s, i, score: scores[f + i]! }));
    f += sents.length;
    const keep = new Set(scored.filter((x) => x.score >= cut).map((x) => x.i));
    const minPer = options.minPerPassage ?? 0;
    if (keep.size < minPer) for (const x of [...scored].sort((a, b) => b.score - a.score).slice(0, minPer)) keep.add(x.i);
    if (keep.size === 0) return;
    const kept: KeptSentence[] = scored
      .filter((x) => keep.has(x.i))
      .map((x) => ({ index: x.i, text: x.s.text, charStart: p.charStart + x.s.start, charEnd: p.charStart + x.s.end, score: x.score }));
    let text = '';
    kept.forEach((k, i) => {
      if (i > 0) text += k.index === kept[i - 1]!.index + 1 ? ' ' : ' … ';
      text += k.text;
    });
    out.push({ chunkId: p.chunkId, docId: p.docId, text, sentences: kept, originalChars: p.text.length, totalSentences: sents.length });
  });
  return out;
}
