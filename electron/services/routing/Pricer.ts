/** Prices tokens for a model, adapted by the lead from the ledger's PriceBook / LocalCostModel. */
export interface Pricer {
  /** Exact micro-dollars, or null when the model has no price (unpriced models are never capped by dollars). */
  costMicros(model: string, promptTokens: number, completionTokens: number, cachedTokens: number): number | null;
}
