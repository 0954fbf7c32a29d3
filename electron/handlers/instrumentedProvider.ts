import type { GenerateRequest, LlmProvider } from '../services/llm/index.js';
import type { PipelineCallOptions, RequestPipeline } from '../services/routing/index.js';

/**
 * A provider whose every generation goes through the instrumented pipeline (budget gate, retries, ledger row
 * per attempt), so services that take an `LlmProvider` (extraction, evals) are accounted for like chat.
 */
export function instrumentedProvider(
  pipeline: RequestPipeline,
  provider: LlmProvider,
  call: Omit<PipelineCallOptions, 'providers'>,
): LlmProvider {
  return {
    providerId: provider.providerId,
    model: provider.model,
    kind: provider.kind,
    contextSize: provider.contextSize,
    generate: (request: GenerateRequest) => pipeline.generate(request, { ...call, providers: [provider] }),
    countTokens: (text) => provider.countTokens(text),
    dispose: async () => {}, // the wrapped provider belongs to its owner
  };
}
