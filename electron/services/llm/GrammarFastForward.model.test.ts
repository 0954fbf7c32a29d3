import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlamaGrammarEvaluationState } from 'node-llama-cpp';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { compileJsonSchema, fragmentToGrammar, regexToGbnf } from '../constrain/index.js';
import { GrammarFastForward } from './GrammarFastForward.js';
import { LocalLlamaProvider } from './LocalLlamaProvider.js';

const STORIES = path.resolve(__dirname, '../../../../shared/data/models/stories260K.gguf');
const person = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 8 }, age: { type: 'integer', minimum: 0, maximum: 130 }, ok: { type: 'boolean' } },
  required: ['name', 'age', 'ok'],
  additionalProperties: false,
};
const personGbnf = compileJsonSchema(person).gbnf;
const validPerson = (text: string) => {
  const v = JSON.parse(text) as Record<string, unknown>;
  return (
    Object.keys(v).join() === 'name,age,ok' &&
    typeof v.name === 'string' &&
    [...v.name].length <= 8 &&
    Number.isInteger(v.age) &&
    (v.age as number) >= 0 &&
    (v.age as number) <= 130 &&
    typeof v.ok === 'boolean'
  );
};

let qwen: LocalLlamaProvider;
let stories: LocalLlamaProvider;

beforeAll(async () => {
  qwen = await LocalLlamaProvider.create({ modelPath: fixturePaths.chatGguf, threads: 2, cpuOnly: true, contextSize: 256 });
  stories = await LocalLlamaProvider.create({ modelPath: STORIES, threads: 2, cpuOnly: true, contextSize: 256 });
});
afterAll(async () => {
  await qwen.dispose();
  await stories.dispose();
});

describe('GrammarFastForward (151k-vocabulary qwen2 tokenizer)', () => {
  it('finds the text a fixed-key object forces, and nothing where the model has a choice', async () => {
    const ff = GrammarFastForward.create(qwen.llama, qwen.llamaModel);
    expect(ff.probeCount).toBeGreaterThanOrEqual(95);
    const state = new LlamaGrammarEvaluationState({ model: qwen.llamaModel, grammar: await qwen.grammar(personGbnf) });
    expect(ff.forcedText(state)).toBe('{"name":"');
    const prefix = ff.takeForcedTokens(state, 100);
    expect(qwen.llamaModel.detokenize(prefix)).toBe('{"name":"');
    expect(ff.forcedText(state)).toBe(''); // inside the string: any character or the closing quote
    for (const t of qwen.llamaModel.tokenize('Al"', false, 'trimLeadingSpace')) ff.accept(state, t);
    expect(ff.forcedText(state)).toBe(',"age":');
    for (const t of ff.takeForcedTokens(state, 100)) expect(typeof t).toBe('number');
    for (const t of qwen.llamaModel.tokenize('12', false, 'trimLeadingSpace')) ff.accept(state, t);
    expect(ff.forcedText(state)).toBe(''); // 120..129 or the comma
    for (const t of qwen.llamaModel.tokenize('9', false, 'trimLeadingSpace')) ff.accept(state, t);
    expect(ff.forcedText(state)).toBe(',"ok":'); // 1290 > 130: no third digit
    for (const t of qwen.llamaModel.tokenize(',"ok":tru', false, 'trimLeadingSpace')) ff.accept(state, t);
    expect(ff.forcedText(state)).toBe('e}');
    expect(ff.onlyEndAllowed(state)).toBe(false);
    ff.takeForcedTokens(state, 100);
    expect(ff.onlyEndAllowed(state)).toBe(true);
  });

  it('takeForcedTokens respects the token budget and leaves the state consistent', async () => {
    const ff = GrammarFastForward.create(qwen.llama, qwen.llamaModel);
    const state = new LlamaGrammarEvaluationState({ model: qwen.llamaModel, grammar: await qwen.grammar(personGbnf) });
    const one = ff.takeForcedTokens(state, 1);
    expect(one).toHaveLength(1);
    const rest = qwen.llamaModel.detokenize(ff.takeForcedTokens(state, 100));
    expect(qwen.llamaModel.detokenize(one) + rest).toBe('{"name":"');
  });

  it('every finished fast-forward generation is valid, and forced tokens were really skipped', async () => {
    const before = { ...qwen.grammarStats };
    let finished = 0;
    for (let seed = 0; seed < 6; seed += 1) {
      const r = await qwen.generate({ prompt: 'Person:', grammar: personGbnf, maxTokens: 64, temperature: 1, seed });
      if (r.finishReason === 'length') continue;
      finished += 1;
      expect(r.finishReason).toBe('stop');
      expect(validPerson(r.text)).toBe(true);
    }
    expect(finished).toBeGreaterThanOrEqual(3);
    const forced = qwen.grammarStats.forcedTokens - before.forcedTokens;
    const sampled = qwen.grammarStats.sampledTokens - before.sampledTokens;
    // keys, quotes, colons, commas and the closing brace are never sampled
    expect(forced).toBeGreaterThanOrEqual(finished * 6);
    expect(sampled).toBeGreaterThan(0);
  });

  it('without forced text, fast-forward and native sampling give identical outputs (greedy and seeded)', async () => {
    const gbnf = fragmentToGrammar(regexToGbnf('[a-z ]{4,24}', { context: 'raw' }));
    for (const temperature of [0, 1]) {
      for (const seed of [1]) {
        const req = { prompt: 'Words:', grammar: gbnf, maxTokens: 20, temperature, seed };
        const fast = await qwen.generate({ ...req, grammarFastForward: true });
        const native = await qwen.generate({ ...req, grammarFastForward: false });
        expect(fast.text).toBe(native.text);
        expect(fast.completionTokens).toBe(native.completionTokens);
        expect(/^[a-z ]{4,24}$/.test(fast.text) || fast.finishReason === 'length').toBe(true);
      }
    }
  });

  it('greedy on real trained weights: fast-forward yields the same JSON text as native sampling', async () => {
    // stories260K has a byte-level vocabulary: forced spans tokenize into the same byte tokens the model would
    // pick one by one, so with greedy sampling the token streams coincide
    const fast = await stories.generate({ prompt: 'Once upon a time', grammar: personGbnf, maxTokens: 60, temperature: 0, grammarFastForward: true });
    const native = await stories.generate({ prompt: 'Once upon a time', grammar: personGbnf, maxTokens: 60, temperature: 0, grammarFastForward: false });
    expect(fast.text).toBe(native.text);
    if (fast.finishReason === 'stop') expect(validPerson(fast.text)).toBe(true);
  });

  it('honours stop strings and abort', async () => {
    const r = await qwen.generate({ prompt: 'Person:', grammar: personGbnf, maxTokens: 64, temperature: 1, seed: 3, stop: [',"age"'] });
    expect(r.text.startsWith('{"name":"')).toBe(true);
    expect(r.text).not.toContain('age');
    const controller = new AbortController();
    controller.abort();
    await expect(qwen.generate({ prompt: 'Person:', grammar: personGbnf, maxTokens: 64, temperature: 1, signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
