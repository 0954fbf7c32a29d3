/**
 * Scores (query, passage) pairs jointly, for re-ordering retrieval candidates.
 * Higher is more relevant; scores are comparable within one call (and across calls of the same model).
 */
export interface Reranker {
  readonly id: string;
  /** One score per passage, in input order. */
  score(query: string, passages: readonly string[], options?: { signal?: AbortSignal }): Promise<number[]>;
  /** Idempotent. */
  dispose(): Promise<void>;
}
