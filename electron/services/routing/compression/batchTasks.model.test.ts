import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalLlamaProvider } from '../../llm/index.js';
import type { RecordedRequest } from '../RequestRecorder.js';
import { RequestPipeline } from '../RequestPipeline.js';
import { batchTasks } from './batchTasks.js';
import { splitBatch } from './splitBatch.js';

/** A real tiny trained llama (read-only shared file); the product never needs it. */
const STORIES = '/work/shared/data/models/stories260K.gguf';

let provider: LocalLlamaProvider;
beforeAll(async () => {
  provider = await LocalLlamaProvider.create({ modelPath: STORIES, threads: 2, cpuOnly: true, contextSize: 512 });
});
afterAll(async () => {
  await provider?.dispose();
});

describe('batchTasks GBNF on a real local model, through the RequestPipeline', () => {
  it('llama.cpp accepts the grammar and the output splits into exactly N results; the local attempt is recorded', async () => {
    const rows: RecordedRequest[] = [];
    const pipeline = new RequestPipeline({ recorder: { record: (r) => rows.push(r) } });
    for (const n of [1, 4]) {
      const batch = batchTasks(Array.from({ length: n }, (_, i) => `Name animal number ${i + 1}.`), { maxStringChars: 12 });
      const r = await pipeline.generate(
        { prompt: batch.prompt, grammar: batch.grammar, maxTokens: 40 + n * 40, temperature: 0 },
        { userId: 'u', endpoint: 'batch', providers: [provider] },
      );
      const results = splitBatch(r.text, n);
      expect(results.length).toBe(n);
      expect(results.every((x) => typeof x === 'string' && x.length <= 12)).toBe(true);
      expect(rows.at(-1)).toMatchObject({ status: 'ok', provider: provider.providerId, attempt: 1, endpoint: 'batch' });
      expect(rows.at(-1)!.grammarHash).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
