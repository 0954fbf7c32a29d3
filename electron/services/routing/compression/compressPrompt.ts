import { estimateTokens } from '../../llm/index.js';

export interface CompressPromptInput {
  /** The system/task instructions: always kept verbatim. */
  instructions: string;
  /** The context to compress (retrieved passages, a pasted document...). */
  context: string;
  /** The user's question: always kept; relevance is measured against it. */
  query: string;
  /** Token budget for the whole prompt (instructions + kept context + query). */
  budgetTokens: number;
  /** Token counter. Default `estimateTokens(text, 'gpt-4o')` (o200k BPE); pass the target model's own. */
  countTokens?: (text: string) => number;
}

export interface CompressedSentence {
  /** Position of the sentence in the context (0-based). */
  index: number;
  text: string;
  /** Relevance to the query (idf-weighted term overlap, length-normalised); Infinity for kept instructions. */
  score: number;
  kept: boolean;
  why: 'instruction' | 'relevant' | 'dropped-low-relevance';
}

export interface CompressedPrompt {
  /** instructions + kept context (original order, '…' where sentences were dropped) + query. */
  prompt: string;
  context: string;
  sentences: CompressedSentence[];
  tokensBefore: number;
  tokensAfter: number;
  /** True when instructions + query + instruction-like sentences alone exceed the budget (they are never dropped). */
  overBudget: boolean;
}

/** Sentences in the context that read as instructions ("Always cite…", "Do not…", "Answer in French.") are never dropped. */
const INSTRUCTION = /^(always|never|do not|don't|you must|you should|must|answer|respond|reply|return|use only|only use|format|cite|include|ignore|write|output)\b|\b(must|must not|should not)\b/i;
const STOP = new Set('a an and are as at be by for from has have in is it its of on or that the this to was were what when where which who why how with does do did can you your i we'.split(' '));

/**
 * Extractive prompt compression: keeps the instructions, the query and every instruction-like context sentence
 * verbatim, then fills the remaining token budget with the context sentences most relevant to the query (idf-weighted
 * term overlap / √length — cheap, no model), and puts them back in their original order so the text still reads.
 * Trade-off: lexical relevance misses paraphrases that an embedding would catch (retrieval's `compressContext` does
 * that, with an embedder); this one is for prompts assembled before any embedder is loaded and for remote calls
 * where every token is billed. Nothing is rewritten, so quotes and numbers stay exact.
 */
export function compressPrompt(input: CompressPromptInput): CompressedPrompt {
  const count = input.countTokens ?? ((t: string) => estimateTokens(t, 'gpt-4o'));
  const raw = splitSentences(input.context);
  const docs = raw.map((s) => terms(s));
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const queryTerms = new Set(terms(input.query));
  const sentences: CompressedSentence[] = raw.map((text, index) => {
    if (INSTRUCTION.test(text.trim())) return { index, text, score: Number.POSITIVE_INFINITY, kept: true, why: 'instruction' };
    const d = docs[index]!;
    let s = 0;
    for (const t of new Set(d)) if (queryTerms.has(t)) s += Math.log(1 + raw.length / (df.get(t) ?? 1));
    return { index, text, score: d.length === 0 ? 0 : s / Math.sqrt(d.length), kept: false, why: 'dropped-low-relevance' };
  });

  const assemble = (): string => {
    const parts: string[] = [];
    let gap = false;
    for (const s of sentences) {
      if (s.kept) {
        if (gap && parts.length > 0) parts.push('…');
        parts.push(s.text.trim());
        gap = false;
      } else gap = true;
    }
    return parts.join(' ');
  };
  const full = (ctx: string): string => [input.instructions.trim(), ctx, input.query.trim()].filter((p) => p !== '').join('\n\n');

  const tokensBefore = count(full(input.context.trim()));
  // most relevant first; ties keep document order. Zero-score sentences are added last, only if room remains.
  const order = sentences.filter((s) => !s.kept).sort((x, y) => y.score - x.score || x.index - y.index);
  let current = count(full(assemble()));
  const overBudget = current > input.budgetTokens;
  for (const s of order) {
    if (current >= input.budgetTokens) break;
    s.kept = true;
    const next = count(full(assemble()));
    if (next > input.budgetTokens) {
      s.kept = false; // does not fit; a shorter, less relevant one still might
      continue;
    }
    s.why = 'relevant';
    current = next;
  }
  const context = assemble();
  const prompt = full(context);
  return { prompt, context, sentences, tokensBefore, tokensAfter: count(prompt), overBudget };
}

/** Sentence split on . ! ? followed by space or a line break, and on blank lines; bounded by the text length. */
function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n\s*\n/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s !== '');
}

function terms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => !STOP.has(t)).map((t) => (t.length > 4 && t.endsWith('s') ? t.slice(0, -1) : t));
}
