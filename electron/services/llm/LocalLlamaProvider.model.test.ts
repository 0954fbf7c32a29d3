import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalLlamaProvider } from './LocalLlamaProvider.js';

/** A real trained 260K-parameter llama (MIT), beside the checkout; the product never needs it. */
const STORIES = path.resolve(__dirname, '../../../../shared/data/models/stories260K.gguf');

let provider: LocalLlamaProvider;
let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-llm-'));
  provider = await LocalLlamaProvider.create({ modelPath: STORIES, threads: 2, cpuOnly: true, contextSize: 256 });
});
afterAll(async () => {
  await provider.dispose();
  await provider.dispose(); // idempotent
  await fs.rm(dir, { recursive: true, force: true });
});

describe('LocalLlamaProvider on real weights', () => {
  it('loads with explicit threads and reports the model', () => {
    expect(provider.threads).toBe(2);
    expect(provider.summary.architecture).toBe('llama');
    expect(provider.contextSize).toBe(256);
    expect(provider.gpu).toBe('cpu');
  });

  it('streams tokens whose concatenation is the final text, with tokens/s', async () => {
    const chunks: string[] = [];
    const result = await provider.generate({
      prompt: 'Once upon a time',
      maxTokens: 24,
      temperature: 0,
      onTextChunk: (text) => chunks.push(text),
    });
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join('')).toBe(result.text);
    expect(result.completionTokens).toBe(24);
    expect(result.finishReason).toBe('length');
    expect(result.promptTokens).toBeGreaterThan(2);
    expect(result.tokensPerSecond).toBeGreaterThan(0);
    expect(result.text.toLowerCase()).toMatch(/[a-z]{3,}/); // the trained model writes English words
  });

  it('is deterministic for a seed and at temperature 0', async () => {
    const a = await provider.generate({ prompt: 'The cat', maxTokens: 16, temperature: 0.9, seed: 7 });
    const b = await provider.generate({ prompt: 'The cat', maxTokens: 16, temperature: 0.9, seed: 7 });
    expect(a.text).toBe(b.text);
  });

  it('stops on an AbortSignal mid-stream', async () => {
    const controller = new AbortController();
    let seen = 0;
    const result = await provider.generate({
      prompt: 'Once upon a time',
      maxTokens: 200,
      temperature: 0.8,
      signal: controller.signal,
      onTextChunk: () => {
        seen += 1;
        if (seen === 5) controller.abort();
      },
    });
    expect(result.finishReason).toBe('cancelled');
    expect(result.completionTokens).toBeLessThan(200);
  });

  it('constrains output with a GBNF grammar', async () => {
    const grammar = 'root ::= ("yes" | "no") " " [0-9] [0-9]';
    for (let seed = 0; seed < 5; seed += 1) {
      const r = await provider.generate({ prompt: 'Lily said', maxTokens: 10, temperature: 1, seed, grammar });
      expect(r.text).toMatch(/^(yes|no) [0-9]{2}$/);
    }
  });

  it('rejects an invalid grammar with GRAMMAR_INVALID', async () => {
    await expect(provider.generate({ prompt: 'x', maxTokens: 4, temperature: 0, grammar: 'root ::= ("unclosed' })).rejects.toMatchObject({
      code: 'GRAMMAR_INVALID',
    });
  });

  it('counts tokens with the model tokenizer', async () => {
    expect(await provider.countTokens('Once upon a time')).toBeGreaterThan(2);
  });
});

describe('LocalLlamaProvider failures', () => {
  it('reports a missing file', async () => {
    await expect(LocalLlamaProvider.create({ modelPath: path.join(dir, 'nope.gguf'), threads: 2 })).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
    });
  });

  it('reports a truncated GGUF as corrupt before llama.cpp touches it', async () => {
    const full = await fs.readFile(STORIES);
    const truncated = path.join(dir, 'truncated.gguf');
    await fs.writeFile(truncated, full.subarray(0, Math.floor(full.length * 0.6)));
    await expect(LocalLlamaProvider.create({ modelPath: truncated, threads: 2 })).rejects.toMatchObject({
      code: 'MODEL_CORRUPT',
      details: { path: truncated },
    });
  });

  it('reports a non-GGUF file as corrupt', async () => {
    const text = path.join(dir, 'notes.gguf');
    await fs.writeFile(text, 'hello '.repeat(100));
    await expect(LocalLlamaProvider.create({ modelPath: text, threads: 2 })).rejects.toMatchObject({ code: 'MODEL_CORRUPT' });
  });
});
