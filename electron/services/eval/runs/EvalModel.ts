import type { GenerateResult } from '../../../../shared/schemas/generation.js';
import type { GenerateRequest } from '../../llm/index.js';

/** A generation result that may carry what it cost (the instrumented pipeline's `costMicros`, from the ledger rows). */
export type MeteredGenerateResult = GenerateResult & { costMicros?: number | null };

/**
 * The model an eval runs on. Structurally an `LlmProvider` without `dispose` (the runner never owns it), whose
 * `generate` should be the app's instrumented path (`RequestPipeline`, endpoint 'eval') so that every call of a run
 * lands in the ledger. Tests pass a plain function-backed object.
 */
export interface EvalModel {
  readonly providerId: string;
  readonly model: string;
  readonly kind: 'local' | 'remote';
  readonly contextSize: number;
  generate(request: GenerateRequest): Promise<MeteredGenerateResult>;
  countTokens(text: string): Promise<number>;
}
