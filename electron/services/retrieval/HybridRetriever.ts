import { AppError } from '../../../shared/errors.js';
import { compareHits } from './compareHits.js';
import type { ChunkHit, DocumentStore, PassageRow, RowRef, ScoredChunkRef } from './DocumentStore.js';
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
   * Row fetching. All three give the same passages.
   * - 'two-phase' (default): the first-stage searches read no column at all, only Lance row ids and
   *   scores ({@link DocumentStore.searchTextRowRefs}); fusion works on row ids; the full rows are read
   *   for the final top-k only ({@link DocumentStore.takeRows}; in parent mode, further windows of the
   *   fused list until k distinct parents are found). Row ids are only valid within one table version,
   *   so the version is read before and after (2 × ~0.2 ms); if a write landed in between, the query is
   *   retried once and then answered by 'two-phase-ids'. Measured at 100k chunks, HNSW_SQ, load ~5.8 on
   *   the 2 shared cores, same process, interleaved: hybrid-rrf retrieve() p50 11.4 ms vs 12.8 ms
   *   'two-phase-ids'; where it goes: version 0.2 + both searches concurrently 5.4 (FTS 3.8, HNSW 2.5;
   *   they were 8.5 with the id Take) + take of the top 10 rows 4.4 + version 0.2 ms. Whole bench
   *   (`npm run bench:retrieval -- --sizes 10000,100000 --queries 30 --embedder hashing --ann hnsw_sq`,
   *   load ~2.3, interleaved): 12.5 ms vs 15.3 ms 'two-phase-ids' vs 17.0 ms 'one-phase'.
   * - 'two-phase-ids': the first-stage searches read id and parent id for every candidate (a Take of
   *   2 × 60 rows), fuse on ids and fetch the top-k rows by id ({@link DocumentStore.getChunks}, which
   *   survives compaction and deletion between the phases). The previous default; kept as the fallback
   *   and the benchmark baseline.
   * - 'one-phase': each first-stage search reads full rows for all its candidates (2 × 50–60 rows of
   *   text and parent text per query); kept as a benchmark baseline.
   * History ('two-phase-ids' against 'one-phase'): `npm run bench:retrieval -- --sizes 100000 --queries 30
   * --embedder hashing --ann hnsw_sq,ivf_flat` on the 2 shared cores at load average ~7.5: hybrid-rrf
   * p50 35.8 ms two-phase vs 62.6 ms one-phase with HNSW_SQ (×1.75), 72.7 vs 88.1 ms with IVF_FLAT.
   * Where it goes: reading text columns roughly doubled each sub-query (FTS 10 → 16 ms, vector 8 → 15 ms
   * for 60 candidates); the top-k take costs 3–8 ms. The bench chunks have no parent text, so with real
   * parent sections (kilobytes each) the one-phase cost, and the saving, is larger.
   */
  fetch?: RowFetch;
}

export type RowFetch = 'two-phase' | 'two-phase-ids' | 'one-phase';

/** Mode 'rerank' was requested but no reranker was given. */
export class RerankerMissingError extends AppError {
  constructor() {
    super('EMBEDDER_MISSING', "Retrieval mode 'rerank' needs a reranker model; load one or choose a hybrid mode.", { details: { mode: 'rerank' } });
  }
}

/** A first-stage hit in fusion: `key` is the chunk id, or the row id ('two-phase' row refs). */
interface Candidate {
  key: string;
  rowId?: bigint;
  /** Known up front only for id refs (absent for row refs: read with the row in phase 2). */
  parentId?: string | null;
  score: number;
}

interface Fused {
  hit: Candidate;
  score: number;
  bm25Rank?: number;
  denseRank?: number;
}

/** What a query needs to know up front: limits per list (0: list not used), filter, fusion weight. */
interface Plan {
  mode: RetrievalMode;
  k: number;
  returnParents: boolean;
  /** Entries wanted from the fused list (3k in parent mode). */
  want: number;
  where: string | undefined;
  bm25Limit: number;
  denseLimit: number;
  alpha: number;
}

const addressOf = (f: Fused) => ({ id: f.hit.key, ...(f.hit.rowId === undefined ? {} : { rowId: f.hit.rowId }) });
const fromRowRef = (r: RowRef): Candidate => ({ key: String(r.rowId), rowId: r.rowId, score: r.score });
const fromIdRef = (r: ScoredChunkRef): Candidate => ({ key: r.id, ...(r.rowId === undefined ? {} : { rowId: r.rowId }), parentId: r.parentId, score: r.score });

/** Min-max normalises scores to [0, 1]; a list of equal scores maps to all 1s. */
function minMax(hits: readonly Candidate[]): Map<string, number> {
  const m = new Map<string, number>();
  if (hits.length === 0) return m;
  let lo = Infinity;
  let hi = -Infinity;
  for (const h of hits) {
    lo = Math.min(lo, h.score);
    hi = Math.max(hi, h.score);
  }
  for (const h of hits) m.set(h.key, hi === lo ? 1 : (h.score - lo) / (hi - lo));
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
  private readonly fetch: RowFetch;
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
    const mode = options.mode ?? this.mode;
    if (mode === 'rerank' && !this.reranker) throw new RerankerMissingError();
    options.signal?.throwIfAborted();
    const plan = this.plan(mode, options);
    if (this.fetch === 'two-phase') {
      // A write between the phases (another connection's commit, a compaction) voids the row ids: retry
      // once, then take the id-based path, which tolerates it.
      for (let attempt = 0; attempt < 2; attempt++) {
        const passages = await this.retrieveByRowIds(query, plan, options);
        if (passages !== undefined) return passages;
      }
    }
    return this.retrieveByIds(query, plan, options);
  }

  private plan(mode: RetrievalMode, options: RetrieveOptions): Plan {
    const k = options.k ?? 10;
    const returnParents = options.returnParents ?? true;
    // Parents collapse several children into one passage: over-fetch so k distinct parents remain.
    const want = returnParents ? k * 3 : k;
    const limit = Math.max(this.candidates, want * 2);
    return {
      mode, k, returnParents, want, where: chunkFilterToSql(options.filter),
      bm25Limit: mode === 'dense' ? 0 : mode === 'bm25' ? want : limit,
      denseLimit: mode === 'bm25' ? 0 : mode === 'dense' ? want : limit,
      alpha: options.alpha ?? this.alpha,
    };
  }

  /** 'two-phase': row refs, fusion on row ids, rows for the final top-k; undefined when the table version moved. */
  private async retrieveByRowIds(query: string, plan: Plan, options: RetrieveOptions): Promise<RetrievedPassage[] | undefined> {
    const { k, returnParents, where } = plan;
    const version = await this.store.version();
    const [bm25, dense] = await Promise.all([
      plan.bm25Limit > 0 ? this.store.searchTextRowRefs(query, { limit: plan.bm25Limit, where }) : Promise.resolve([]),
      plan.denseLimit > 0
        ? this.embedQuery(query, options.signal).then((v) => this.store.searchVectorRowRefs(v, { limit: plan.denseLimit, where }))
        : Promise.resolve([]),
    ]);
    options.signal?.throwIfAborted();
    let fused = this.fuse(plan, bm25.map(fromRowRef), dense.map(fromRowRef));
    const rows = new Map<string, PassageRow>();
    const take = async (window: readonly Fused[]): Promise<void> => {
      for (const [rowId, row] of await this.store.takeRows(window.map((f) => f.hit.rowId!))) rows.set(String(rowId), row);
    };
    if (plan.mode === 'rerank') {
      const top = fused.slice(0, Math.max(this.rerankTopN, plan.want));
      await take(top);
      if ((await this.store.version()) !== version) return undefined;
      fused = await this.rerank(query, top, rows, returnParents, options.signal);
    } else {
      // Rows for the first k fused entries; in parent mode, children of one parent collapse into one
      // passage, so read further windows (k, 2k, 4k … entries) until k distinct passages are known.
      let fetched = 0;
      for (let window = k; fetched < fused.length; window *= 2) {
        const next = fused.slice(fetched, fetched + window);
        await take(next);
        fetched += next.length;
        if (!returnParents || this.toPassages(fused.slice(0, fetched), k, returnParents, rows).length >= k) break;
      }
      if ((await this.store.version()) !== version) return undefined;
    }
    options.signal?.throwIfAborted();
    return this.toPassages(fused, k, returnParents, rows);
  }

  /** 'two-phase-ids' and 'one-phase': first-stage hits carry chunk ids, rows are fetched (or already read) by id. */
  private async retrieveByIds(query: string, plan: Plan, options: RetrieveOptions): Promise<RetrievedPassage[]> {
    const { k, returnParents, where } = plan;
    let bm25: Candidate[];
    let dense: Candidate[];
    /** Rows already read by a one-phase search (empty otherwise). */
    const known = new Map<string, PassageRow>();
    if (this.fetch !== 'one-phase') {
      const [b, d] = await Promise.all([
        plan.bm25Limit > 0 ? this.store.searchTextRefs(query, { limit: plan.bm25Limit, where }) : Promise.resolve([]),
        plan.denseLimit > 0
          ? this.embedQuery(query, options.signal).then((v) => this.store.searchVectorRefs(v, { limit: plan.denseLimit, where }))
          : Promise.resolve([]),
      ]);
      bm25 = b.map(fromIdRef);
      dense = d.map(fromIdRef);
    } else {
      const [bm25Hits, denseHits] = await Promise.all([
        plan.bm25Limit > 0 ? this.store.searchText(query, { limit: plan.bm25Limit, where }) : Promise.resolve([]),
        plan.denseLimit > 0
          ? this.embedQuery(query, options.signal).then((v) => this.store.searchVector(v, { limit: plan.denseLimit, where }))
          : Promise.resolve([]),
      ]);
      const toCandidate = (h: ChunkHit): Candidate => {
        const { score, rowId, ...row } = h;
        known.set(h.id, row);
        return { key: h.id, rowId, parentId: h.parentId ?? null, score };
      };
      bm25 = bm25Hits.map(toCandidate);
      dense = denseHits.map(toCandidate);
    }
    options.signal?.throwIfAborted();
    let fused = this.fuse(plan, bm25, dense);

    if (plan.mode === 'rerank') {
      const top = fused.slice(0, Math.max(this.rerankTopN, plan.want));
      const rows = await this.rowsFor(top, known);
      options.signal?.throwIfAborted();
      fused = await this.rerank(query, top, rows, returnParents, options.signal);
      return this.toPassages(fused, k, returnParents, rows);
    }
    // Phase 2: full rows for the final top-k only (in parent mode: one child per distinct parent).
    let candidates = fused;
    let picked = this.pickTop(candidates, k, returnParents);
    const rows = new Map(await this.rowsFor(picked, known));
    // A chunk deleted between the two phases leaves a gap: refill from the next candidates, fetching
    // a window of 2k, 4k, 8k, 16k (a deleted document often held several of the top chunks).
    const fetched = new Set(picked.map((f) => f.hit.key));
    for (let round = 1; round <= 4 && picked.some((f) => !rows.has(f.hit.key)); round++) {
      candidates = candidates.filter((f) => rows.has(f.hit.key) || !fetched.has(f.hit.key));
      const window = this.pickTop(candidates, k * 2 ** round, returnParents).filter((f) => !fetched.has(f.hit.key));
      for (const f of window) fetched.add(f.hit.key);
      for (const [id, row] of await this.store.getChunks(window.map(addressOf))) rows.set(id, row);
      picked = this.pickTop(candidates.filter((f) => rows.has(f.hit.key) || !fetched.has(f.hit.key)), k, returnParents);
    }
    options.signal?.throwIfAborted();
    return this.toPassages(picked, k, returnParents, rows);
  }

  private fuse(plan: Plan, bm25: Candidate[], dense: Candidate[]): Fused[] {
    if (plan.mode === 'bm25') return bm25.map((hit, i) => ({ hit, score: hit.score, bm25Rank: i + 1 }));
    if (plan.mode === 'dense') return dense.map((hit, i) => ({ hit, score: hit.score, denseRank: i + 1 }));
    return plan.mode === 'hybrid-linear' ? this.linear(bm25, dense, plan.alpha) : this.rrf(bm25, dense);
  }

  /** The reranker's scores for `top` (entries without a row are dropped), best first. */
  private async rerank(query: string, top: readonly Fused[], rows: ReadonlyMap<string, PassageRow>, returnParents: boolean, signal: AbortSignal | undefined): Promise<Fused[]> {
    const present = top.filter((f) => rows.has(f.hit.key));
    const texts = present.map((f) => {
      const row = rows.get(f.hit.key)!;
      return returnParents && row.parentText ? row.parentText : row.text;
    });
    const scores = await this.reranker!.score(query, texts, { signal });
    return present.map((f, i) => ({ ...f, score: scores[i]! })).sort((a, b) => b.score - a.score);
  }

  private async rowsFor(fused: readonly Fused[], known: ReadonlyMap<string, PassageRow>): Promise<ReadonlyMap<string, PassageRow>> {
    return this.fetch === 'one-phase' ? known : this.store.getChunks(fused.map(addressOf));
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

  private linear(bm25: Candidate[], dense: Candidate[], alpha: number): Fused[] {
    const nb = minMax(bm25);
    const nd = minMax(dense);
    return this.merge(bm25, dense, (key) => alpha * (nd.get(key) ?? 0) + (1 - alpha) * (nb.get(key) ?? 0));
  }

  private rrf(bm25: Candidate[], dense: Candidate[]): Fused[] {
    const rb = new Map(bm25.map((h, i) => [h.key, i + 1]));
    const rd = new Map(dense.map((h, i) => [h.key, i + 1]));
    const term = (r: number | undefined) => (r === undefined ? 0 : 1 / (this.rrfK + r));
    return this.merge(bm25, dense, (key) => term(rb.get(key)) + term(rd.get(key)));
  }

  private merge(bm25: Candidate[], dense: Candidate[], score: (key: string) => number): Fused[] {
    const all = new Map<string, Fused>();
    bm25.forEach((hit, i) => all.set(hit.key, { hit, score: 0, bm25Rank: i + 1 }));
    dense.forEach((hit, i) => {
      const f = all.get(hit.key);
      if (f) f.denseRank = i + 1;
      else all.set(hit.key, { hit, score: 0, denseRank: i + 1 });
    });
    for (const f of all.values()) f.score = score(f.hit.key);
    // Ties broken by row id (every path has it, see compareHits), then key, so results are deterministic.
    return [...all.values()].sort((a, b) => compareHits({ score: a.score, rowId: a.hit.rowId }, { score: b.score, rowId: b.hit.rowId }) || (a.hit.key < b.hit.key ? -1 : a.hit.key > b.hit.key ? 1 : 0));
  }

  /**
   * Passages from fused entries and their fetched rows. A row missing from `rows` (its document was
   * deleted between the two phases) is skipped. A chunk with a parent shows the parent section.
   */
  private toPassages(fused: readonly Fused[], k: number, returnParents: boolean, rows: ReadonlyMap<string, PassageRow>): RetrievedPassage[] {
    const out: RetrievedPassage[] = [];
    const seenParents = new Set<string>();
    for (const f of fused) {
      if (out.length >= k) break;
      const h = rows.get(f.hit.key);
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
