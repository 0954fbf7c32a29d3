import { AppError } from '../../../../shared/errors.js';
import type { GenerateRequest } from '../../llm/index.js';
import type { EvalModel, MeteredGenerateResult } from './EvalModel.js';

/** What a fake answers: the rendered prompt (last message or raw prompt) and the request's seed. */
export type FakeAnswer = (prompt: string, seed: number | undefined, request: GenerateRequest) => string | AppError;

/**
 * A deterministic function-backed `EvalModel` for runner tests: counts calls, charges `costPerCall` micros and
 * `prompt.length` prompt tokens, and returns (or throws) what `answer` says. Test-only (the `.testkit` name keeps it
 * out of the public index).
 */
export function fakeEvalModel(answer: FakeAnswer, options: { costPerCall?: number | null; onCall?: (n: number) => void } = {}): EvalModel & { calls: string[] } {
  const calls: string[] = [];
  return {
    providerId: 'fake',
    model: 'fake-model',
    kind: 'local',
    contextSize: 4096,
    calls,
    countTokens: async (text) => text.length,
    generate: async (request): Promise<MeteredGenerateResult> => {
      const prompt = request.messages !== undefined ? request.messages.at(-1)!.content : (request.prompt ?? '');
      calls.push(prompt);
      options.onCall?.(calls.length);
      await new Promise((r) => setTimeout(r, 1));
      const out = answer(prompt, request.seed, request);
      if (out instanceof AppError) throw out;
      return {
        text: out,
        promptTokens: prompt.length,
        completionTokens: out.length,
        durationMs: 1,
        firstTokenMs: null,
        tokensPerSecond: 0,
        finishReason: 'stop',
        model: 'fake-model',
        costMicros: options.costPerCall === undefined ? 10 : options.costPerCall,
      };
    },
  };
}
