/** One attempt as reported back to the caller (the same facts the RequestRecorder got). */
export interface AttemptSummary {
  requestId: string;
  attempt: number;
  provider: string;
  model: string;
  status: 'ok' | 'error' | 'cancelled';
  errorCode: string | null;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  /** Null when the Pricer has no price for the model. */
  costMicros: number | null;
  /** How long the pipeline waited before this attempt (backoff or Retry-After); 0 for the first try on a provider. */
  waitedMs: number;
}
