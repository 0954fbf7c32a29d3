/** What the pipeline knows before the first byte is sent. */
export interface BudgetEstimate {
  userId: string;
  projectId: string | null;
  model: string;
  /** providerId of the provider about to be called (a price can depend on it). */
  provider: string;
  /** Counted with the provider's own tokenizer (`LlmProvider.countTokens`). */
  promptTokens: number;
  /** The request's `maxTokens`: the worst case. */
  maxCompletionTokens: number;
}

/** Pre-flight budget check, adapted by the lead from the ledger's BudgetManager. */
export interface BudgetGate {
  /** Throws (e.g. code BUDGET_EXCEEDED) when the estimate would exceed a budget. */
  check(estimate: BudgetEstimate): void;
}
