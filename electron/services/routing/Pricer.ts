/** Prices tokens for a model, adapted by the lead from the ledger's PriceBook / LocalCostModel. */
export interface Pricer {
  /** Exact micro-dollars, or null when the model has no price (unpriced models are never capped by dollars). */
  costMicros(model: string, promptTokens: number, completionTokens: number, cachedTokens: number): number | null;
  /**
   * Cost of running a model for `latencyMs` of wall time (a local model: energy + hardware amortisation), or null
   * when unknown. Used to credit a local model's cache hit with what its original generation cost. Optional.
   */
  runCostMicros?(provider: string, model: string, latencyMs: number): number | null;
}
