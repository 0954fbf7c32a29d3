import type { AnswerStats, ChatRetrievalSettings, Citation } from '../../../shared/schemas/chat.js';
import type { ChatMessage } from '../../../shared/schemas/generation.js';
import type { GenerateRequest } from '../llm/index.js';
import { compressContext, splitSentences, type ChunkFilter, type HybridRetriever, type RetrievedPassage } from '../retrieval/index.js';
import type { PipelineResult } from '../routing/index.js';
import { buildCitationGrammar, SOURCES_MARKER } from './buildCitationGrammar.js';
import { buildGroundedMessages } from './buildGroundedMessages.js';
import { parseCitedAnswer } from './parseCitedAnswer.js';
import { selectSentences, type CandidateSentence } from './selectSentences.js';

/** The exact answer when retrieval finds nothing relevant; the model is not called. */
export const NOT_FOUND_ANSWER = 'Not found in your documents.';

export type AnswerPhase = 'retrieving' | 'compressing' | 'generating' | 'done';

/** Prices model calls from the ledger: what was charged and the shadow (cloud-equivalent) costs. */
export type CostLookup = (requestIds: readonly string[]) => { costMicros: number; cloudEquivalent: { model: string; costMicros: number }[] };

export interface AnswerQuestionOptions {
  question: string;
  retriever: HybridRetriever;
  /** One model call through the instrumented RequestPipeline (so the ledger records every attempt). */
  generate: (request: GenerateRequest) => Promise<PipelineResult>;
  /** Defaults: hybrid-rrf, alpha 0.5, no rerank, k 4, no compression. */
  settings?: Partial<ChatRetrievalSettings>;
  filter?: ChunkFilter;
  /** Earlier turns, oldest first (see buildGroundedMessages for how many are kept). */
  history?: readonly ChatMessage[];
  /** Answer length cap in code points, enforced by the grammar. Default 1200. */
  maxAnswerChars?: number;
  /** Default 0.2: grounded answers want little invention. */
  temperature?: number;
  seed?: number;
  /**
   * A passage with no BM25 match (no shared non-stop-word term) counts as relevant only when its cosine similarity
   * to the question is at least this. Default 0.4. Measured with the default USE-Lite embedder on 3 questions × 5
   * passages: answering passages scored 0.53–0.70, unrelated ones 0.03–0.37. Other embedders need their own floor.
   * Set -1 to accept everything retrieved.
   */
  minDenseScore?: number;
  /** Passage characters put in the prompt, best first; the first passage is truncated to fit. Default 6000 (~1.5k tokens). */
  maxContextChars?: number;
  /** Sentences the LLM compression step looks at (best passages first). Default 40. */
  maxCompressionCandidates?: number;
  costOf?: CostLookup;
  signal?: AbortSignal;
  /** Streamed answer text (the sources line is held back). */
  onToken?: (text: string) => void;
  onPhase?: (phase: AnswerPhase, passages?: number) => void;
}

export interface GroundedAnswer {
  status: 'answered' | 'not-found' | 'truncated' | 'cancelled';
  answer: string;
  citations: Citation[];
  /** The passages the model was given, numbered 1..n in this order. */
  passages: RetrievedPassage[];
  /** Raw constrained output of the answer call ('' when not found). */
  rawText: string;
  stats: AnswerStats;
}

interface Sentence {
  text: string;
  charStart: number;
  charEnd: number;
  /** Index within the passage (gaps mean elided text). */
  index: number;
}

interface WorkPassage {
  source: RetrievedPassage;
  /** null = the whole passage text. */
  sentences: Sentence[] | null;
}

/**
 * Grounded question answering: retrieve → relevance gate → optional compression → one grammar-constrained
 * generation whose citations can only name the passages in the prompt → parse and map citations to documents.
 *
 * Trade-offs and defaults:
 * - The relevance gate is lexical-or-semantic: BM25 hits (stemmed, stop words removed) pass; others must reach
 *   `minDenseScore` cosine. It costs one embed call for non-lexical candidates, and stops the model answering
 *   from unrelated text ("Not found in your documents." without any model call).
 * - The citation grammar (see buildCitationGrammar) bounds the answer length, so max tokens is derived from it;
 *   a non-ASCII-heavy answer can still hit the token cap, which yields status 'truncated' with inline citations.
 * - Compression keeps exact document offsets: extractive via embeddings, 'llm' via a grammar over sentence ids.
 */
export async function answerQuestion(options: AnswerQuestionOptions): Promise<GroundedAnswer> {
  const started = performance.now();
  const s = { mode: 'hybrid-rrf', alpha: 0.5, rerank: false, k: 4, compression: 'none', ...options.settings } as ChatRetrievalSettings;
  const signal = options.signal;
  const calls: PipelineResult[] = [];

  options.onPhase?.('retrieving');
  const mode = s.rerank ? 'rerank' : s.mode;
  const retrieved = await options.retriever.retrieve(options.question, {
    k: s.k,
    mode,
    alpha: s.alpha,
    ...(options.filter === undefined ? {} : { filter: options.filter }),
    ...(signal === undefined ? {} : { signal }),
  });
  const relevant = await relevantPassages(options.question, retrieved, mode, options);
  const retrievalMs = performance.now() - started;
  if (relevant.length === 0) {
    options.onPhase?.('done', 0);
    return {
      status: 'not-found', answer: NOT_FOUND_ANSWER, citations: [], passages: [], rawText: '',
      stats: stats(calls, started, retrievalMs, options.costOf),
    };
  }

  let work: WorkPassage[] = fitToBudget(relevant, options.maxContextChars ?? 6000).map((source) => ({ source, sentences: null }));
  if (s.compression !== 'none') {
    options.onPhase?.('compressing', work.length);
    if (s.compression === 'extractive' || s.compression === 'extractive+llm') work = await compressExtractive(options, work);
    if (s.compression === 'llm' || s.compression === 'extractive+llm') {
      work = await compressWithLlm(options, work, (call) => calls.push(call));
    }
  }

  const passages = work.map((w) => w.source);
  options.onPhase?.('generating', passages.length);
  const messages = buildGroundedMessages(
    options.question,
    work.map((w, i) => ({ index: i + 1, title: w.source.title, page: w.source.page, text: passageText(w) })),
    { ...(options.history === undefined ? {} : { history: options.history }) },
  );
  const maxAnswerChars = options.maxAnswerChars ?? 1200;
  const streamer = answerStreamer(options.onToken);
  const call = await options.generate({
    messages,
    grammar: buildCitationGrammar(work.length, { maxAnswerChars }),
    // one token is at least one byte: an ASCII answer always fits, with room for the sources line
    maxTokens: maxAnswerChars + 6 * work.length + 16,
    temperature: options.temperature ?? 0.2,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(signal === undefined ? {} : { signal }),
    onTextChunk: (text) => streamer.push(text),
  });
  calls.push(call);
  options.onPhase?.('done', passages.length);

  const parsed = parseCitedAnswer(call.text, work.length);
  const citations: Citation[] = parsed.citations.map((n) => citationOf(n, work[n - 1]!));
  const status = call.finishReason === 'cancelled' ? 'cancelled' : parsed.complete ? 'answered' : 'truncated';
  return { status, answer: parsed.answer, citations, passages, rawText: call.text, stats: stats(calls, started, retrievalMs, options.costOf, call) };
}

async function relevantPassages(
  question: string,
  passages: RetrievedPassage[],
  mode: string,
  options: AnswerQuestionOptions,
): Promise<RetrievedPassage[]> {
  const floor = options.minDenseScore ?? 0.4;
  if (mode === 'bm25') return passages; // only matching passages are returned
  if (mode === 'dense') return passages.filter((p) => p.score >= floor);
  const unmatched = passages.filter((p) => p.bm25Rank === undefined);
  if (unmatched.length === 0 || floor <= -1) return passages;
  const [q, ...vs] = await options.retriever.store.embedder.embed([question, ...unmatched.map((p) => p.text)], {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const cos = new Map(unmatched.map((p, i) => [p.chunkId, dot(q!, vs[i]!)]));
  return passages.filter((p) => p.bm25Rank !== undefined || (cos.get(p.chunkId) ?? -1) >= floor);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Best passages first until the character budget is spent; the first one is truncated if it alone is too long. */
function fitToBudget(passages: RetrievedPassage[], maxChars: number): RetrievedPassage[] {
  const out: RetrievedPassage[] = [];
  let used = 0;
  for (const p of passages) {
    if (out.length === 0 && p.text.length > maxChars) {
      out.push({ ...p, text: p.text.slice(0, maxChars), charEnd: p.charStart + maxChars });
      break;
    }
    if (used + p.text.length > maxChars) break;
    out.push(p);
    used += p.text.length;
  }
  return out;
}

async function compressExtractive(options: AnswerQuestionOptions, work: WorkPassage[]): Promise<WorkPassage[]> {
  const compressed = await compressContext(
    options.question,
    work.map((w) => ({ chunkId: w.source.chunkId, docId: w.source.docId, text: w.source.text, charStart: w.source.charStart })),
    { embedder: options.retriever.store.embedder, ...(options.signal === undefined ? {} : { signal: options.signal }) },
  );
  const byChunk = new Map(compressed.map((c) => [c.chunkId, c]));
  return work.flatMap((w) => {
    const c = byChunk.get(w.source.chunkId);
    return c === undefined ? [] : [{ source: w.source, sentences: c.sentences.map((k) => ({ text: k.text, charStart: k.charStart, charEnd: k.charEnd, index: k.index })) }];
  });
}

async function compressWithLlm(options: AnswerQuestionOptions, work: WorkPassage[], onCall: (call: PipelineResult) => void): Promise<WorkPassage[]> {
  const limit = options.maxCompressionCandidates ?? 40;
  const perPassage = work.map((w) => w.sentences ?? splitSentences(w.source.text).map((x, index) => ({
    text: x.text, charStart: w.source.charStart + x.start, charEnd: w.source.charStart + x.end, index,
  })));
  const candidates: CandidateSentence[] = [];
  const owner: { passage: number; sentence: Sentence }[] = [];
  for (let p = 0; p < perPassage.length && candidates.length < limit; p++) {
    for (const sentence of perPassage[p]!) {
      if (candidates.length >= limit) break;
      owner.push({ passage: p, sentence });
      candidates.push({ id: owner.length, text: sentence.text });
    }
  }
  if (candidates.length <= 1) return work;
  const { ids, call } = await selectSentences(options.question, candidates, {
    generate: options.generate,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  onCall(call);
  const kept = new Map<number, Sentence[]>();
  for (const id of ids) {
    const o = owner[id - 1]!;
    kept.set(o.passage, [...(kept.get(o.passage) ?? []), o.sentence]);
  }
  return work.flatMap((w, p) => (kept.has(p) ? [{ source: w.source, sentences: kept.get(p)! }] : []));
}

function passageText(w: WorkPassage): string {
  if (w.sentences === null) return w.source.text;
  let text = '';
  w.sentences.forEach((s, i) => {
    if (i > 0) text += s.index === w.sentences![i - 1]!.index + 1 ? ' ' : ' … ';
    text += s.text;
  });
  return text;
}

function citationOf(index: number, w: WorkPassage): Citation {
  const p = w.source;
  const first = w.sentences?.[0];
  const last = w.sentences?.[w.sentences.length - 1];
  return {
    index, chunkId: p.chunkId, documentId: p.docId, documentName: p.title, page: p.page, pageEnd: p.pageEnd,
    charStart: first?.charStart ?? p.charStart, charEnd: last?.charEnd ?? p.charEnd, quote: passageText(w), score: p.score,
  };
}

/** Forwards streamed text but holds back anything that may be the start of the sources line. */
function answerStreamer(onToken: ((text: string) => void) | undefined): { push(text: string): void } {
  let full = '';
  let sent = 0;
  let done = false;
  const marker = SOURCES_MARKER + '[';
  return {
    push(text) {
      if (onToken === undefined || done) return;
      full += text;
      const at = full.indexOf(marker, Math.max(0, sent - marker.length));
      let end: number;
      if (at >= 0) {
        end = at;
        done = true;
      } else {
        // keep back the longest suffix that is a prefix of the marker
        let hold = 0;
        for (let n = Math.min(marker.length - 1, full.length); n > 0; n--) {
          if (full.endsWith(marker.slice(0, n))) {
            hold = n;
            break;
          }
        }
        end = full.length - hold;
      }
      if (end > sent) {
        onToken(full.slice(sent, end));
        sent = end;
      }
    },
  };
}

function stats(calls: PipelineResult[], started: number, retrievalMs: number, costOf: CostLookup | undefined, answer?: PipelineResult): AnswerStats {
  const requestIds = calls.flatMap((c) => c.attempts.map((a) => a.requestId));
  const priced = costOf !== undefined && requestIds.length > 0 ? costOf(requestIds) : null;
  return {
    promptTokens: calls.reduce((n, c) => n + c.promptTokens, 0),
    completionTokens: calls.reduce((n, c) => n + c.completionTokens, 0),
    tokensPerSecond: answer?.tokensPerSecond ?? 0,
    latencyMs: performance.now() - started,
    retrievalMs,
    firstTokenMs: answer?.firstTokenMs ?? null,
    costMicros: priced?.costMicros ?? calls.reduce((n, c) => n + (c.costMicros ?? 0), 0),
    cloudEquivalent: priced?.cloudEquivalent ?? [],
    requestIds: calls.map((c) => c.requestId),
    model: answer?.model ?? calls[0]?.model ?? null,
  };
}
