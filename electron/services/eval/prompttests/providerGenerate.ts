import type { LlmProvider } from '../../llm/index.js';
import type { Generate } from './runPromptTests.js';

export type ProviderGenerateOptions = {
  /** Default 128. */
  maxTokens?: number;
  /** Default 0 (greedy), so prompt tests are repeatable; raise it with a `seed` to probe flakiness. */
  temperature?: number;
  seed?: number;
  stop?: string[];
};

/**
 * Adapts any `LlmProvider` (local llama.cpp or a remote endpoint) into the `generate` function the
 * prompt-test runner and `runEvalCommand` take. Latency is wall-clock time around the call
 * (what a user waits, including any queueing), not the provider's internal decode time.
 */
export function providerGenerate(provider: Pick<LlmProvider, 'generate'>, options: ProviderGenerateOptions = {}): Generate {
  return async (prompt) => {
    const started = performance.now();
    const r = await provider.generate({
      prompt,
      maxTokens: options.maxTokens ?? 128,
      temperature: options.temperature ?? 0,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.stop === undefined ? {} : { stop: options.stop }),
    });
    return { text: r.text, latencyMs: performance.now() - started };
  };
}
