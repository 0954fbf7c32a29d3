import type { GenerateRequest } from '../llm/index.js';
import type { GenerateFn } from './GenerateFn.js';

export type ScriptedReply = string | { text: string; finishReason?: 'stop' | 'length'; costMicros?: number };

/**
 * Test double for `GenerateFn`: answers each request with `reply(request, callIndex)` and records every
 * request (so tests can assert grammars, seeds and prompts). Token counts are whitespace-word counts.
 * For unit tests only; the model tests use the real pipeline.
 */
export function scriptedGenerate(reply: (request: GenerateRequest, call: number) => ScriptedReply): GenerateFn & { requests: GenerateRequest[] } {
  const requests: GenerateRequest[] = [];
  const fn = async (request: GenerateRequest) => {
    requests.push(request);
    const r = reply(request, requests.length - 1);
    const { text, finishReason = 'stop', costMicros } = typeof r === 'string' ? { text: r } : r;
    const promptText = request.prompt ?? (request.messages ?? []).map((m) => m.content).join('\n');
    return {
      text,
      promptTokens: promptText.split(/\s+/).filter(Boolean).length,
      completionTokens: Math.max(1, text.split(/\s+/).filter(Boolean).length),
      durationMs: 1,
      firstTokenMs: 1,
      tokensPerSecond: 100,
      finishReason,
      model: 'scripted',
      ...(costMicros === undefined ? {} : { costMicros }),
    };
  };
  return Object.assign(fn, { requests });
}
