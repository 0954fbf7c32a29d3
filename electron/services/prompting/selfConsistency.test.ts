import { describe, expect, it } from 'vitest';
import { AnswerExtractionError } from './AnswerExtractionError.js';
import { NoConsensusError } from './NoConsensusError.js';
import { scriptedGenerate } from './scriptedGenerate.js';
import { selfConsistency } from './selfConsistency.js';

/** Reasoning calls have no grammar; answer calls do. Answers are scripted per sample. */
const script = (answers: (string | { text: string; finishReason: 'length' })[]) => {
  let sample = -1;
  return scriptedGenerate((req) => {
    if (req.grammar === undefined) {
      sample += 1;
      return `step by step, sample ${sample}`;
    }
    return answers[sample]!;
  });
};

describe('selfConsistency', () => {
  it('samples n times with seed+i at the temperature, answers greedily under the regex grammar, and votes', async () => {
    const gen = script(['12', '12', '7', '12', '7']);
    const r = await selfConsistency({ prompt: 'What is 3*4?', n: 5, temperature: 0.9, seed: 40, answer: { regex: '[0-9]{1,3}' }, generate: gen });
    expect(r.answer).toBe('12');
    expect(r.agreement).toBeCloseTo(3 / 5, 12);
    expect(r.counts).toEqual({ '12': 3, '7': 2 });
    expect(gen.requests).toHaveLength(10);
    const reasoning = gen.requests.filter((q) => q.grammar === undefined);
    const answering = gen.requests.filter((q) => q.grammar !== undefined);
    expect(reasoning.map((q) => q.seed)).toEqual([40, 41, 42, 43, 44]);
    expect(reasoning.every((q) => q.temperature === 0.9)).toBe(true);
    expect(answering.every((q) => q.temperature === 0)).toBe(true);
    // the same compiled grammar for every answer step: a GBNF root over digits
    expect(new Set(answering.map((q) => q.grammar)).size).toBe(1);
    expect(answering[0]!.grammar).toMatch(/^root ::= /);
    expect(answering[0]!.grammar).toContain('[0-9]');
    // chat format: the answer step sees the sample's own reasoning as the assistant turn
    expect(answering[2]!.messages!.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(answering[2]!.messages![1]!.content).toBe('step by step, sample 2');
    expect(r.samples.map((s) => s.key)).toEqual(['12', '12', '7', '12', '7']);
    expect(r.usage.calls).toBe(10);
  });

  it('votes on canonical JSON for schema answers (key order does not split the vote)', async () => {
    const gen = script(['{"city":"Paris","n":1}', '{"n":1,"city":"Paris"}', '{"city":"Rome","n":1}']);
    const schema = { type: 'object', properties: { city: { type: 'string' }, n: { type: 'integer' } }, required: ['city', 'n'], additionalProperties: false };
    const r = await selfConsistency({ prompt: 'Capital?', n: 3, temperature: 0.7, seed: 1, answer: { schema }, generate: gen });
    expect(r.answer).toEqual({ city: 'Paris', n: 1 });
    expect(r.agreement).toBeCloseTo(2 / 3, 12);
    expect(gen.requests.find((q) => q.grammar)!.grammar).toContain('city');
  });

  it('a truncated answer abstains and counts against agreement; all truncated is NoConsensusError', async () => {
    const cut = { text: '1', finishReason: 'length' as const };
    const r = await selfConsistency({ prompt: 'q', n: 3, temperature: 1, seed: 0, answer: { regex: '[0-9]+' }, generate: script(['5', cut, '5']) });
    expect(r.samples[1]).toMatchObject({ truncated: true, key: undefined, answer: undefined });
    expect(r.agreement).toBeCloseTo(2 / 3, 12);
    await expect(
      selfConsistency({ prompt: 'q', n: 2, temperature: 1, seed: 0, answer: { regex: '[0-9]+' }, generate: script([cut, cut]) }),
    ).rejects.toBeInstanceOf(NoConsensusError);
  });

  it('an answer violating the constraint (a grammar bug) is a typed error, not a silent vote', async () => {
    const err = await selfConsistency({ prompt: 'q', n: 1, temperature: 1, seed: 0, answer: { regex: '[0-9]+' }, generate: script(['twelve']) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnswerExtractionError);
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', step: 'answer', text: 'twelve' });
  });

  it('raw format continues the chain-of-thought prompt after "Answer: " and stops reasoning at the marker', async () => {
    const gen = script(['4']);
    await selfConsistency({ prompt: '2+2?', n: 1, temperature: 0.5, seed: 3, answer: { regex: '[0-9]' }, generate: gen, format: 'raw' });
    expect(gen.requests[0]!.stop).toContain('Answer:');
    expect(gen.requests[1]!.prompt).toMatch(/Question: 2\+2\?\nReasoning: step by step, sample 0\nAnswer: $/);
  });

  it('rejects bad n and unsupported regexes before generating', async () => {
    const gen = script([]);
    await expect(selfConsistency({ prompt: 'q', n: 0, temperature: 1, seed: 0, answer: { regex: 'a' }, generate: gen })).rejects.toThrow(RangeError);
    await expect(selfConsistency({ prompt: 'q', n: 1, temperature: 1, seed: 0, answer: { regex: '(a)\\1' }, generate: gen })).rejects.toMatchObject({ code: 'REGEX_UNSUPPORTED' });
    expect(gen.requests).toHaveLength(0);
  });
});
