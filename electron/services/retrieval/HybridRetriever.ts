import { AppError } from '../../../shared/errors.js';
import type { ChunkHit, DocumentStore, ScoredChunkRef, StoredChunk } from './DocumentStore.js';
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
  /**
   * Row fetching. 'two-phase' (default): the first-stage searches read only id, parent id and
   * score; the full rows (text, parent text, metadata) are read afterwards for the final top-k only,
   * by row id ({@link DocumentStore.getChunks}). 'one-phase': each first-stage search reads full rows
   * for all its candidates (2 × 50–60 rows of text and parent text per query); kept as the benchmark
   * baseline. Both give the same passages. `npm run bench:retrieval -- --sizes 100000 --queries 30
   * --embedder hashing --ann hnsw_sq,ivf_flat` on the 2 shared cores at load average ~7.5: hybrid-rrf
   * p50 35.8 ms two-phase vs 62.6 ms one-phase with HNSW_SQ (×1.75), 72.7 vs 88.1 ms with IVF_FLAT.
   * Where it goes: reading text columns roughly doubled each sub-query (FTS 10 → 16 ms, vector 8 → 15 ms
   * for 60 candidates); the top-k take costs 3–8 ms. The bench chunks have no parent text, so with real
   * parent sections (kilobytes each) the one-phase cost, and the saving, is larger.
   */
  fetch?: 'two-phase' | 'one-phase';
}

/** Mode 'rerank' was requested but no reranker was given. */
export class RerankerMissingError extends AppError {
  constructor() {
    super('EMBEDDER_MISSING', "Retrieval mode 'rerank' needs a reranker model; load one or choose a hybrid mode.", { details: { mode: 'rerank' } });
  }
}

interface Fused {
  hit: ScoredChunkRef;
  score: number;
  bm25Rank?: number;
  denseRank?: number;
}

/** Min-max normalises scores to [0, 1]; a list of equal scores maps to all 1s. */
function minMax(hits: readonly ScoredChunkRef[]): Map<string, number> {
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
  private readonly fetch: 'two-phase' | 'one-phase';
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
    this.fetch = options.fetch ?? 'two-phase';
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
    // Phase 1: both first-stage lists concurrently; ids + scores only in two-phase mode.
    const bm25Limit = mode === 'bm25' ? want : limit;
    const denseLimit = mode === 'dense' ? want : limit;
    let bm25: ScoredChunkRef[];
    let dense: ScoredChunkRef[];
    /** Rows already read by a one-phase search (empty in two-phase mode until phase 2). */
    const known = new Map<string, StoredChunk>();
    if (this.fetch === 'two-phase') {
      [bm25, dense] = await Promise.all([
        needBm25 ? this.store.searchTextRefs(query, { limit: bm25Limit, where }) : Promise.resolve([]),
        needDense ? this.embedQuery(query, options.signal).then((v) => this.store.searchVectorRefs(v, { limit: denseLimit, where })) : Promise.resolve([]),
      ]);
    } else {
      const [bm25Hits, denseHits] = await Promise.all([
        needBm25 ? this.store.searchText(query, { limit: bm25Limit, where }) : Promise.resolve([]),
        needDense ? this.embedQuery(query, options.signal).then((v) => this.store.searchVector(v, { limit: denseLimit, where })) : Promise.resolve([]),
      ]);
      const toRef = (h: ChunkHit): ScoredChunkRef => {
        const { score, ...row } = h;
        known.set(h.id, row);
        return { id: h.id, parentId: h.parentId ?? null, score };
      };
      bm25 = bm25Hits.map(toRef);
      dense = denseHits.map(toRef);
    }
    options.signal?.throwIfAborted();

    let fused: Fused[];
    if (mode === 'bm25') fused = bm25.map((hit, i) => ({ hit, score: hit.score, bm25Rank: i + 1 }));
    else if (mode === 'dense') fused = dense.map((hit, i) => ({ hit, score: hit.score, denseRank: i + 1 }));
    else fused = mode === 'hybrid-linear' ? this.linear(bm25, dense, options.alpha ?? this.alpha) : this.rrf(bm25, dense);

    if (mode === 'rerank') {
      const top = fused.slice(0, Math.max(this.rerankTopN, want));
      const rows = await this.rowsFor(top, known);
      options.signal?.throwIfAborted();
      const present = top.filter((f) => rows.has(f.hit.id));
      const texts = present.map((f) => {
        const row = rows.get(f.hit.id)!;
        return returnParents && row.parentText ? row.parentText : row.text;
      });
      const scores = await this.reranker!.score(query, texts, { signal: options.signal });
      fused = present.map((f, i) => ({ ...f, score: scores[i]! })).sort((a, b) => b.score - a.score);
      return this.toPassages(fused, k, returnParents, rows);
    }
    // Phase 2: full rows for the final top-k only (in parent mode: one child per distinct parent).
    let candidates = fused;
    let picked = this.pickTop(candidates, k, returnParents);
    const rows = new Map(await this.rowsFor(picked, known));
    // A chunk deleted between the two phases leaves a gap: refill from the next candidates, fetching
    // a window of 2k, 4k, 8k, 16k (a deleted document often held several of the top chunks).
    const fetched = new Set(picked.map((f) => f.hit.id));
    for (let round = 1; round <= 4 && picked.some((f) => !rows.has(f.hit.id)); round++) {
      candidates = candidates.filter((f) => rows.has(f.hit.id) || !fetched.has(f.hit.id));
      const window = this.pickTop(candidates, k * 2 ** round, returnParents).filter((f) => !fetched.has(f.hit.id));
      for (const f of window) fetched.add(f.hit.id);
      for (const [id, row] of await this.store.getChunks(window.map((f) => f.hit))) rows.set(id, row);
      picked = this.pickTop(candidates.filter((f) => rows.has(f.hit.id) || !fetched.has(f.hit.id)), k, returnParents);
    }
    options.signal?.throwIfAborted();
    return this.toPassages(picked, k, returnParents, rows);
  }

  private async rowsFor(fused: readonly Fused[], known: ReadonlyMap<string, StoredChunk>): Promise<ReadonlyMap<string, StoredChunk>> {
    return this.fetch === 'one-phase' ? known : this.store.getChunks(fused.map((f) => f.hit));
  }

  /** The first `k` fused entries, skipping later children of a parent already taken (parent mode). */
  private pickTop(fused: readonly Fused[], k: number, returnParents: boolean): Fused[] {
    const out: Fused[] = [];
    const seenParents = new Set<string>();
    for (const f of fused) {
      if (out.length >= k) break;
      if (returnParents && f.hit.parentId != null) {
        if (seenParents.has(f.hit.parentId)) continue;
        seenParents.add(f.hit.parentId);
      }
      out.push(f);
    }
    return out;
  }

  private async embedQuery(query: string, signal: AbortSignal | undefined): Promise<Float32Array> {
    const cached = this.queryVectors.get(query);
    if (cached) return cached;
    const [v] = await this.store.embedder.embed([query], { signal });
    if (this.queryVectors.size >= 256) this.queryVectors.delete(this.queryVectors.keys().next().value!);
    this.queryVectors.set(query, v!);
    return v!;
  }

  private linear(bm25: ScoredChunkRef[], dense: ScoredChunkRef[], alpha: number): Fused[] {
    const nb = minMax(bm25);
    const nd = minMax(dense);
    return this.merge(bm25, dense, (id) => alpha * (nd.get(id) ?? 0) + (1 - alpha) * (nb.get(id) ?? 0));
  }

  private rrf(bm25: ScoredChunkRef[], dense: ScoredChunkRef[]): Fused[] {
    const rb = new Map(bm25.map((h, i) => [h.id, i + 1]));
    const rd = new Map(dense.map((h, i) => [h.id, i + 1]));
    const term = (r: number | undefined) => (r === undefined ? 0 : 1 / (this.rrfK + r));
    return this.merge(bm25, dense, (id) => term(rb.get(id)) + term(rd.get(id)));
  }

  private merge(bm25: ScoredChunkRef[], dense: ScoredChunkRef[], score: (id: string) => number): Fused[] {
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

  /**
   * Passages from fused entries and their fetched rows. A row missing from `rows` (its document was
   * deleted between the two phases) is skipped. A chunk with a parent shows the parent section.
   */
  private toPassages(fused: readonly Fused[], k: number, returnParents: boolean, rows: ReadonlyMap<string, StoredChunk>): RetrievedPassage[] {
    const out: RetrievedPassage[] = [];
    const seenParents = new Set<string>();
    for (const f of fused) {
      if (out.length >= k) break;
      const h = rows.get(f.hit.id);
      if (h === undefined) continue;
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
