import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerateResult } from '../../../shared/schemas/generation.js';
import type { GenerateRequest, LlmProvider } from '../llm/index.js';
import { DocumentStore, HashingEmbedder, HybridRetriever, type ChunkRow } from '../retrieval/index.js';
import { RequestPipeline, type RecordedRequest } from '../routing/index.js';
import { answerQuestion, NOT_FOUND_ANSWER } from './answerQuestion.js';

/** Test double for a model: replies with scripted texts (one per call), streamed in 3-character chunks. */
class ScriptedProvider implements LlmProvider {
  readonly providerId = 'local';
  readonly model = 'scripted';
  readonly kind = 'local' as const;
  readonly contextSize = 4096;
  readonly requests: GenerateRequest[] = [];
  constructor(private readonly replies: string[]) {}
  async generate(request: GenerateRequest): Promise<GenerateResult> {
    this.requests.push(request);
    const text = this.replies.shift();
    if (text === undefined) throw new Error('no scripted reply left');
    for (let i = 0; i < text.length; i += 3) request.onTextChunk?.(text.slice(i, i + 3), i / 3 + 1, 10);
    return { text, promptTokens: 50, completionTokens: Math.ceil(text.length / 3), durationMs: 5, firstTokenMs: 1, tokensPerSecond: 12.5, finishReason: 'stop' as const, model: this.model };
  }
  async countTokens(text: string) {
    return Math.ceil(text.length / 4);
  }
  async dispose() {}
}

const DOCS = [
  { docId: 'manual', title: 'Pump manual.pdf', page: 3, text: 'The pump valve sticks in cold weather. Heat the housing for ten minutes before starting. Error E1234 means the valve is stuck.' },
  { docId: 'manual', title: 'Pump manual.pdf', page: 4, text: 'Replace the filter every six months. A clogged filter lowers the flow rate.' },
  { docId: 'recipes', title: 'Recipes.docx', page: 1, text: 'Bananas, apples and oranges make a fruit salad. Add honey to taste.' },
];

let dir: string;
let store: DocumentStore;
let retriever: HybridRetriever;
const embedder = new HashingEmbedder(256);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hearth-rag-'));
  store = await DocumentStore.open({ dir, embedder });
  const vecs = await embedder.embed(DOCS.map((d) => d.text));
  let offset = 0;
  const rows: ChunkRow[] = DOCS.map((d, i) => {
    const row: ChunkRow = {
      id: `c${i}`, docId: d.docId, text: d.text, vector: vecs[i]!, page: d.page, pageEnd: d.page, charStart: offset, charEnd: offset + d.text.length,
      chunkIndex: i, title: d.title, tags: [], collection: d.docId === 'recipes' ? 'kitchen' : 'work', createdAt: 1000 + i,
    };
    offset += d.text.length + 1;
    return row;
  });
  await store.addChunks(rows);
  await store.ensureIndexes();
  retriever = new HybridRetriever({ store });
});
afterAll(async () => {
  await store.dispose();
  await rm(dir, { recursive: true, force: true });
});

function pipelineWith(provider: ScriptedProvider) {
  const rows: RecordedRequest[] = [];
  const pipeline = new RequestPipeline({ recorder: { record: (r) => rows.push(r) } });
  return { rows, generate: (request: GenerateRequest) => pipeline.generate(request, { userId: 'local', endpoint: 'chat', providers: [provider] }) };
}

describe('answerQuestion', () => {
  it('answers "Not found in your documents." without calling the model when nothing relevant is retrieved', async () => {
    const provider = new ScriptedProvider([]);
    const { rows, generate } = pipelineWith(provider);
    const result = await answerQuestion({ question: 'quantum chromodynamics lattice', retriever, generate });
    expect(result).toMatchObject({ status: 'not-found', answer: NOT_FOUND_ANSWER, citations: [], passages: [] });
    expect(provider.requests).toHaveLength(0);
    expect(rows).toHaveLength(0);
    expect(result.stats.requestIds).toEqual([]);
  });

  it('respects the filter: a question about fruit in the "work" collection is not found', async () => {
    const provider = new ScriptedProvider([]);
    const { generate } = pipelineWith(provider);
    const result = await answerQuestion({ question: 'fruit salad bananas', retriever, generate, filter: { collection: 'work' } });
    expect(result.status).toBe('not-found');
  });

  it('streams the answer without the sources line, maps citations to documents and records one ledger row', async () => {
    const provider = new ScriptedProvider(['Heat the housing for ten minutes [1].\nSources: [1], [2], [1]']);
    const { rows, generate } = pipelineWith(provider);
    const streamed: string[] = [];
    const result = await answerQuestion({
      question: 'What should I do when the pump valve sticks in cold weather, and when do I replace the filter?',
      retriever,
      generate,
      settings: { k: 2 },
      onToken: (t) => streamed.push(t),
      costOf: (ids) => ({ costMicros: 7 * ids.length, cloudEquivalent: [{ model: 'gpt-4o', costMicros: 42 }] }),
    });
    expect(result.status).toBe('answered');
    expect(result.answer).toBe('Heat the housing for ten minutes [1].');
    expect(streamed.join('')).toBe('Heat the housing for ten minutes [1].');
    expect(streamed.length).toBeGreaterThan(3);
    // the grammar given to the model allows exactly the passages it was shown
    const request = provider.requests[0]!;
    expect(request.grammar).toContain('("1" | "2")');
    expect(request.grammar).not.toContain('"3"');
    expect(request.messages!.at(-1)!.content).toContain('[1] The text between <<<BEGIN');
    expect(result.passages.map((p) => p.chunkId)).toEqual([result.citations[0]!.chunkId, result.citations[1]!.chunkId]);
    expect(result.citations.map((c) => c.index)).toEqual([1, 2]);
    const first = result.citations[0]!;
    expect(first).toMatchObject({ chunkId: 'c0', documentId: 'manual', documentName: 'Pump manual.pdf', page: 3, charStart: 0, charEnd: DOCS[0]!.text.length, quote: DOCS[0]!.text });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ endpoint: 'chat', status: 'ok', grammarHash: expect.any(String) });
    expect(result.stats).toMatchObject({ promptTokens: 50, tokensPerSecond: 12.5, costMicros: 7, cloudEquivalent: [{ model: 'gpt-4o', costMicros: 42 }], requestIds: [rows[0]!.requestId], model: 'scripted' });
  });

  it('reports a truncated answer (no sources line) with its inline citations', async () => {
    const provider = new ScriptedProvider(['The filter is replaced every six months [2] and']);
    const { generate } = pipelineWith(provider);
    const result = await answerQuestion({ question: 'How often is the pump filter replaced?', retriever, generate, settings: { k: 2 } });
    expect(result.status).toBe('truncated');
    expect(result.citations.map((c) => c.index)).toEqual([2]);
  });

  it('LLM-chosen compression keeps only the chosen sentences, with exact document offsets, and costs one more ledger row', async () => {
    const provider = new ScriptedProvider(['S2', 'Heat it first [1].\nSources: [1]']);
    const { rows, generate } = pipelineWith(provider);
    const result = await answerQuestion({
      question: 'pump valve cold weather', retriever, generate, settings: { k: 1, compression: 'llm' },
    });
    const choice = provider.requests[0]!;
    expect(choice.grammar).toContain('sid ::= "S1" | "S2" | "S3"');
    expect(choice.messages!.at(-1)!.content).toContain('S2: Heat the housing for ten minutes before starting.');
    const answerPrompt = provider.requests[1]!.messages!.at(-1)!.content;
    expect(answerPrompt).toContain('Heat the housing for ten minutes before starting.');
    expect(answerPrompt).not.toContain('Error E1234');
    const c = result.citations[0]!;
    expect(c.quote).toBe('Heat the housing for ten minutes before starting.');
    expect(DOCS[0]!.text.slice(c.charStart, c.charEnd)).toBe(c.quote); // chunk c0 starts at document offset 0
    expect(rows).toHaveLength(2);
    expect(result.stats.requestIds).toHaveLength(2);
  });

  it('extractive compression drops sentences unlike the question without any model call for it', async () => {
    const provider = new ScriptedProvider(['Replace it [1].\nSources: [1]']);
    const { generate } = pipelineWith(provider);
    const result = await answerQuestion({ question: 'replace the filter every six months', retriever, generate, settings: { k: 1, compression: 'extractive' } });
    expect(provider.requests).toHaveLength(1);
    expect(result.citations[0]!.quote).toContain('Replace the filter every six months.');
    expect(result.citations[0]!.quote).not.toContain('clogged');
  });

  it('a generation stopped mid-way (finishReason cancelled) returns what streamed, with status cancelled', async () => {
    const provider = new ScriptedProvider(['Heat the hous']);
    const generate = provider.generate.bind(provider);
    provider.generate = async (request) => ({ ...(await generate(request)), finishReason: 'cancelled' as const });
    const { generate: viaPipeline } = pipelineWith(provider);
    const result = await answerQuestion({ question: 'pump valve cold weather', retriever, generate: viaPipeline, settings: { k: 1 } });
    expect(result).toMatchObject({ status: 'cancelled', answer: 'Heat the hous', citations: [] });
  });

  it('passes the abort signal to retrieval: an aborted ask never reaches the model', async () => {
    const provider = new ScriptedProvider(['x\nSources: [1]']);
    const { generate } = pipelineWith(provider);
    const controller = new AbortController();
    controller.abort();
    await expect(answerQuestion({ question: 'pump valve', retriever, generate, signal: controller.signal })).rejects.toThrow();
    expect(provider.requests).toHaveLength(0);
  });
});
