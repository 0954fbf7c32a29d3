import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalLlamaProvider } from '../../llm/index.js';
import { providerGenerate } from './providerGenerate.js';
import { runPromptTests } from './runPromptTests.js';

/** A real trained 260K-parameter llama beside the checkout (tests only; the product never needs it). */
const STORIES = path.resolve(__dirname, '../../../../../shared/data/models/stories260K.gguf');

let provider: LocalLlamaProvider;
beforeAll(async () => {
  provider = await LocalLlamaProvider.create({ modelPath: STORIES, threads: 2, cpuOnly: true, contextSize: 256 });
});
afterAll(async () => {
  await provider.dispose();
});

const FILE = `
prompt: "Once upon a time, there was a little {{animal}}."
assert:
  - {type: regex, value: "[a-z]{3,}"}
  - {type: max-length, value: 400}
tests:
  - vars: {animal: cat}
  - vars: {animal: bird}
    assert: [{type: equals, value: "this exact sentence will not be generated"}]
`;

describe('prompt tests against a real local model', () => {
  it('runs the file through LocalLlamaProvider and reports 1 passed, 1 failed; greedy decoding is repeatable', async () => {
    const generate = providerGenerate(provider, { maxTokens: 12 });
    const lines: string[] = [];
    const first = await runPromptTests({ text: FILE, name: 'stories.yaml' }, { generate, out: (l) => lines.push(l) });
    expect(lines).toEqual(['1 passed, 1 failed']);
    expect(first.cases[0]!.prompt).toBe('Once upon a time, there was a little cat.');
    expect(first.cases[0]!.output.length).toBeGreaterThan(10);
    expect(first.cases[0]!.latencyMs).toBeGreaterThan(0);
    expect(first.cases[1]!.assertions.map((a) => a.pass)).toEqual([true, true, false]);
    // Greedy decoding: the same prompt gives the same output again (a prompt test must be repeatable).
    expect((await generate(first.cases[0]!.prompt)).text).toBe(first.cases[0]!.output);
  });
});
