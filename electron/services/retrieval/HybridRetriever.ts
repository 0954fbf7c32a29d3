import { AppError } from '../../../shared/errors.js';
import type { ChunkHit, DocumentStore } from './DocumentStore.js';
import type { Reranker } from './EmbedderContract.js';
import { chunkFilterToSql, type ChunkFilter } from './chunkFilterToSql.js';

export type RetrievalMode = 'bm25' | 'dense' | 'hybrid-linear' | 'hybrid-rrf' | 'rerank';
export const RETRIEVAL_MODES: readonly RetrievalMode[] = ['bm25', 'dense', 'hybrid-linear', 'hybrid-rrf', 'rerank'];

export interface RetrieveOptions {
  /** Results returned. Default 10. */
  k?: number;
  /** Default: the retriever's mode. */
  mode?: RetrievalMode;
  filter?: ChunkFilter;
  /** hybrid-linear weight of the dense score (BM25 gets 1 − alpha). Default: the retriever's alpha (0.5). */
  alpha?: number;
  /**
   * Parent-document mode: collapse child hits to their parent section (best child score wins) and
   * return the parent text and offsets. Default true (no effect for chunks without parents).
   */
  returnParents?: boolean;
  signal?: AbortSignal;
}

/** One retrieved passage with what a citation needs. */
export interface RetrievedPassage {
  chunkId: string;
  docId: string;
  title: string;
  /** The passage to show/quote: the parent section in parent-document mode, else the chunk. */
  text: string;
  page: number;
  pageEnd: number;
  /** Offsets of `text` within the parsed document text. */
  charStart: number;
  charEnd: number;
  /** The matched (child) chunk's own offsets, for highlighting inside a parent. */
  matchCharStart: number;
  matchCharEnd: number;
  /** Final score in the mode's scale (fused, reranker, BM25 or cosine). Higher is better. */
  score: number;
  /** 1-based rank in each first-stage list, when the passage appeared there. */
  bm25Rank?: number;
  denseRank?: number;
  tags: string[];
  collection: string;
}

export interface HybridRetrieverOptions {
  store: DocumentStore;
  /** Required for mode 'rerank'. */
  reranker?: Reranker;
  /** Default 'hybrid-rrf': robust without tuning (no score scales to reconcile). */
  mode?: RetrievalMode;
  /** Default 0.5. */
  alpha?: number;
  /** RRF constant. Default 60 (Cormack et al. 2009). */
  rrfK?: number;
  /** Candidates fetched from each first-stage list: max(2 × k (×3 with parents), this). Default 50. */
  candidates?: number;
  /** Hybrid candidates handed to the reranker. Default 30: ~linear cost per query in the cross-encoder. */
  rerankTopN?: number;
}

/** Mode 'rerank' was requested but no reranker was given. */
export class RerankerMissingError extends AppError {
  constructor() {
    super('EMBEDDER_MISSING', "Retrieval mode 'rerank' needs a reranker model; load one or choose a hybrid mode.", { details: { mode: 'rerank' } });
  }
}

interface Fused {
  hit: ChunkHit;
  score: number;
  bm25Rank?: number;
  denseRank?: number;
}

/** Min-max normalises scores to [0, 1]; a list of equal scores maps to all 1s. */
function minMax(hits: readonly ChunkHit[]): Map<string, number> {
  const m = new Map<string, number>();
  if (hits.length === 0) return m;
  let lo = Infinity;
  let hi = -Infinity;
  for (const h of hits) {
    lo = Math.min(lo, h.score);
    hi = Math.max(hi, h.score);
  }
  for (const h of hits) m.set(h.id, hi === lo ? 1 : (h.score - lo) / (hi - lo));
  return m;
}

/**
 * Retrieval over a {@link DocumentStore}: BM25, dense, two hybrid fusions, and a cross-encoder
 * rerank stage. Hybrid exists because dense vectors miss exact identifiers/rare terms and BM25
 * misses paraphrases; fusing both is the cheapest big win over plain vector search.
 * - `hybrid-linear`: alpha·minmax(dense) + (1−alpha)·minmax(bm25); a passage missing from one list
 *   gets 0 there. Tunable but sensitive to each list's score distribution.
 * - `hybrid-rrf`: Σ 1/(rrfK + rank). Scale-free; the default.
 * - `rerank`: hybrid-rrf, then the reranker re-scores the top `rerankTopN`.
 */
export class HybridRetriever {
  readonly store: DocumentStore;
  private readonly reranker: Reranker | undefined;
  private readonly mode: RetrievalMode;
  private readonly alpha: number;
  private readonly rrfK: number;
  private readonly candidates: number;
  private readonly rerankTopN: number;
  /** Last 256 query vectors: follow-up questions and multi-mode evals skip the embed call. */
  private readonly queryVectors = new Map<string, Float32Array>();

  constructor(options: HybridRetrieverOptions) {
    this.store = options.store;
    this.reranker = options.reranker;
    this.mode = options.mode ?? 'hybrid-rrf';
    this.alpha = options.alpha ?? 0.5;
    this.rrfK = options.rrfK ?? 60;
    this.candidates = options.candidates ?? 50;
    this.rerankTopN = options.rerankTopN ?? 30;
  }

  async retrieve(query: string, options: RetrieveOptions = {}): Promise<RetrievedPassage[]> {
    const k = options.k ?? 10;
    const mode = options.mode ?? this.mode;
    if (mode === 'rerank' && !this.reranker) throw new RerankerMissingError();
    const where = chunkFilterToSql(options.filter);
    const returnParents = options.returnParents ?? true;
    // Parents collapse several children into one passage: over-fetch so k distinct parents remain.
    const want = returnParents ? k * 3 : k;
    const limit = Math.max(this.candidates, want * 2);
    options.signal?.throwIfAborted();

    const needBm25 = mode !== 'dense';
    const needDense = mode !== 'bm25';
    const [bm25, dense] = await Promise.all([
      needBm25 ? this.store.searchText(query, { limit: mode === 'bm25' ? want : limit, where }) : Promise.resolve([]),
      needDense
        ? this.embedQuery(query, options.signal).then((v) => this.store.searchVector(v, { limit: mode === 'dense' ? want : limit, where }))
        : Promise.resolve([]),
    ]);
    options.signal?.throwIfAborted();

    let fused: Fused[];
    if (mode === 'bm25') fused = bm25.map((hit, i) => ({ hit, score: hit.score, bm25Rank: i + 1 }));
    else if (mode === 'dense') fused = dense.map((hit, i) => ({ hit, score: hit.score, denseRank: i + 1 }));
    else fused = mode === 'hybrid-linear' ? this.linear(bm25, dense, options.alpha ?? this.alpha) : this.rrf(bm25, dense);

    if (mode === 'rerank') {
      const top = fused.slice(0, Math.max(this.rerankTopN, want));
      const texts = top.map((f) => (returnParents && f.hit.parentText ? f.hit.parentText : f.hit.text));
      const scores = await this.reranker!.score(query, texts, { signal: options.signal });
      fused = top.map((f, i) => ({ ...f, score: scores[i]! })).sort((a, b) => b.score - a.score);
    }
    return this.toPassages(fused, k, returnParents);
  }

  private async embedQuery(query: string, signal: AbortSignal | undefined): Promise<Float32Array> {
    const cached = this.queryVectors.get(query);
    if (cached) return cached;
    const [v] = await this.store.embedder.embed([query], { signal });
    if (this.queryVectors.size >= 256) this.queryVectors.delete(this.queryVectors.keys().next().value!);
    this.queryVectors.set(query, v!);
    return v!;
  }

  private linear(bm25: ChunkHit[], dense: ChunkHit[], alpha: number): Fused[] {
    const nb = minMax(bm25);
    const nd = minMax(dense);
    return this.merge(bm25, dense, (id) => alpha * (nd.get(id) ?? 0) + (1 - alpha) * (nb.get(id) ?? 0));
  }

  private rrf(bm25: ChunkHit[], dense: ChunkHit[]): Fused[] {
    const rb = new Map(bm25.map((h, i) => [h.id, i + 1]));
    const rd = new Map(dense.map((h, i) => [h.id, i + 1]));
    const term = (r: number | undefined) => (r === undefined ? 0 : 1 / (this.rrfK + r));
    return this.merge(bm25, dense, (id) => term(rb.get(id)) + term(rd.get(id)));
  }

  private merge(bm25: ChunkHit[], dense: ChunkHit[], score: (id: string) => number): Fused[] {
    const all = new Map<string, Fused>();
    bm25.forEach((hit, i) => all.set(hit.id, { hit, score: 0, bm25Rank: i + 1 }));
    dense.forEach((hit, i) => {
      const f = all.get(hit.id);
      if (f) f.denseRank = i + 1;
      else all.set(hit.id, { hit, score: 0, denseRank: i + 1 });
    });
    for (const f of all.values()) f.score = score(f.hit.id);
    // Ties broken by id so results are deterministic.
    return [...all.values()].sort((a, b) => b.score - a.score || (a.hit.id < b.hit.id ? -1 : 1));
  }

  private toPassages(fused: Fused[], k: number, returnParents: boolean): RetrievedPassage[] {
    const out: RetrievedPassage[] = [];
    const seenParents = new Set<string>();
    for (const f of fused) {
      if (out.length >= k) break;
      const h = f.hit;
      const useParent = returnParents && h.parentId != null && h.parentText != null;
      if (useParent) {
        if (seenParents.has(h.parentId!)) continue;
        seenParents.add(h.parentId!);
      }
      out.push({
        chunkId: h.id, docId: h.docId, title: h.title,
        text: useParent ? h.parentText! : h.text,
        page: h.page, pageEnd: h.pageEnd,
        charStart: useParent ? h.parentCharStart! : h.charStart, charEnd: useParent ? h.parentCharEnd! : h.charEnd,
        matchCharStart: h.charStart, matchCharEnd: h.charEnd,
        score: f.score,
        ...(f.bm25Rank === undefined ? {} : { bm25Rank: f.bm25Rank }),
        ...(f.denseRank === undefined ? {} : { denseRank: f.denseRank }),
        tags: h.tags, collection: h.collection,
      });
    }
    return out;
  }
}
