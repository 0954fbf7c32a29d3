import { describe, expect, it } from 'vitest';
import type { GenerateResult } from '../../../shared/schemas/generation.js';
import type { GenerateRequest, LlmProvider } from '../llm/index.js';
import { runToolCalls, type ToolImplementation } from './runToolCalls.js';
import { ToolRoundsExceededError } from './ToolRoundsExceededError.js';

/** Replies with the scripted texts in order (repeating the last), recording every request. */
class ScriptedProvider implements LlmProvider {
  readonly providerId = 'scripted';
  readonly model = 'scripted';
  readonly kind = 'local' as const;
  readonly contextSize = 4096;
  readonly requests: GenerateRequest[] = [];
  constructor(private readonly replies: string[]) {}
  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const text = this.replies[Math.min(this.requests.length, this.replies.length - 1)]!;
    this.requests.push(request);
    return { text, promptTokens: 10, completionTokens: 5, durationMs: 1, firstTokenMs: 1, tokensPerSecond: 1, finishReason: 'stop', model: this.model };
  }
  async countTokens(text: string) {
    return text.length;
  }
  async dispose() {}
}

const lookups: unknown[] = [];
const lookup: ToolImplementation = {
  name: 'lookup',
  description: 'Look up a word',
  parameters: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'], additionalProperties: false },
  run: (args) => {
    lookups.push(args);
    return { definition: `meaning of ${(args as { word: string }).word}` };
  },
};
const call = (word: string) => JSON.stringify({ name: 'lookup', arguments: { word } });
const answer = (a: string) => JSON.stringify({ name: 'final_answer', arguments: { answer: a } });

describe('runToolCalls', () => {
  it('executes calls, feeds results back, and ends on final_answer', async () => {
    lookups.length = 0;
    const provider = new ScriptedProvider([call('hearth'), answer('a fireplace')]);
    const r = await runToolCalls({ provider, tools: [lookup], task: 'Define hearth.' });
    expect(r).toMatchObject({ answer: { answer: 'a fireplace' }, stopReason: 'answer', generations: 2, promptTokens: 20, completionTokens: 10 });
    expect(r.calls).toEqual([{ name: 'lookup', arguments: { word: 'hearth' }, result: { definition: 'meaning of hearth' } }]);
    expect(lookups).toEqual([{ word: 'hearth' }]);
    // the second generation sees the first call's result, and every generation is grammar-constrained
    expect(JSON.stringify(provider.requests[1]!.messages)).toContain('meaning of hearth');
    expect(provider.requests.every((q) => typeof q.grammar === 'string' && q.grammar.length > 0)).toBe(true);
  });

  it("stops with stopReason 'max-rounds' when the model keeps calling tools ('stop')", async () => {
    lookups.length = 0;
    const provider = new ScriptedProvider([call('a'), call('b'), call('c'), call('d')]);
    const r = await runToolCalls({ provider, tools: [lookup], task: 't', maxRounds: 2, onRoundLimit: 'stop' });
    expect(r.stopReason).toBe('max-rounds');
    expect(r.answer).toBeNull();
    expect(r.calls.map((c) => c.arguments)).toEqual([{ word: 'a' }, { word: 'b' }]);
    expect(lookups).toHaveLength(2); // the third call is never executed
    expect(r.generations).toBe(3);
  });

  it("throws ToolRoundsExceededError carrying the calls ('throw')", async () => {
    const provider = new ScriptedProvider([call('a')]);
    const err = await runToolCalls({ provider, tools: [lookup], task: 't', maxRounds: 1, onRoundLimit: 'throw' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolRoundsExceededError);
    expect(err).toMatchObject({ code: 'TOOL_ROUNDS_EXCEEDED', maxRounds: 1, retryable: false });
    expect((err as ToolRoundsExceededError).calls.map((c) => c.name)).toEqual(['lookup', 'lookup']);
    expect(provider.requests).toHaveLength(2);
  });

  it("after the cap, the next grammar only allows the answer ('answer', default)", async () => {
    const provider = new ScriptedProvider([call('a'), call('b'), answer('done')]);
    const r = await runToolCalls({ provider, tools: [lookup], task: 't', maxRounds: 2 });
    expect(r.stopReason).toBe('forced-answer');
    expect(r.answer).toEqual({ answer: 'done' });
    const [first, , last] = provider.requests;
    expect(first!.grammar).toContain('lookup');
    expect(last!.grammar).not.toContain('lookup');
    expect(last!.grammar).toContain('final_answer');
  });

  it('maxRounds 0 forces an immediate answer; a reserved tool name is refused', async () => {
    const provider = new ScriptedProvider([answer('x')]);
    expect((await runToolCalls({ provider, tools: [lookup], task: 't', maxRounds: 0 })).stopReason).toBe('forced-answer');
    await expect(runToolCalls({ provider, tools: [{ ...lookup, name: 'final_answer' }], task: 't' })).rejects.toMatchObject({ code: 'SCHEMA_INVALID' });
    await expect(runToolCalls({ provider, tools: [lookup], task: 't', maxRounds: -1 })).rejects.toMatchObject({ code: 'SCHEMA_INVALID' });
  });
});
