/** Relevance judgments for one query: doc id → graded gain (0 = judged non-relevant). */
export type Judgments = ReadonlyMap<string, number>;

/**
 * IR metrics as trec_eval / pytrec_eval compute them (the numbers BEIR papers report):
 * - nDCG@k: DCG = Σ_{i≤k} gain_i / log2(i + 1) with LINEAR gain (trec_eval's `ndcg_cut`), divided
 *   by the DCG of the ideal ordering of all judged-relevant docs; 0 when nothing is relevant.
 * - Recall@k: |relevant ∩ top-k| / |relevant| (relevant = gain > 0).
 * - MRR@k: 1 / rank of the first relevant doc within the top k, else 0.
 * `ranked` is the system's doc ids, best first, without duplicates.
 */
export const RetrievalMetrics = {
  ndcgAtK(ranked: readonly string[], judgments: Judgments, k: number): number {
    let dcg = 0;
    ranked.slice(0, k).forEach((id, i) => {
      const g = judgments.get(id) ?? 0;
      if (g > 0) dcg += g / Math.log2(i + 2);
    });
    const ideal = [...judgments.values()].filter((g) => g > 0).sort((a, b) => b - a).slice(0, k);
    const idcg = ideal.reduce((s, g, i) => s + g / Math.log2(i + 2), 0);
    return idcg === 0 ? 0 : dcg / idcg;
  },

  recallAtK(ranked: readonly string[], judgments: Judgments, k: number): number {
    let relevant = 0;
    for (const g of judgments.values()) if (g > 0) relevant++;
    if (relevant === 0) return 0;
    const hits = ranked.slice(0, k).filter((id) => (judgments.get(id) ?? 0) > 0).length;
    return hits / relevant;
  },

  mrrAtK(ranked: readonly string[], judgments: Judgments, k: number): number {
    const i = ranked.slice(0, k).findIndex((id) => (judgments.get(id) ?? 0) > 0);
    return i === -1 ? 0 : 1 / (i + 1);
  },

  /** Nearest-rank percentile (p in [0, 100]) of a sample; NaN for an empty sample. */
  percentile(values: readonly number[], p: number): number {
    if (values.length === 0) return Number.NaN;
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    return sorted[Math.min(rank, sorted.length) - 1]!;
  },

  mean(values: readonly number[]): number {
    return values.length === 0 ? Number.NaN : values.reduce((s, v) => s + v, 0) / values.length;
  },
} as const;
