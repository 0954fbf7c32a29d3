import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../shared/index.js';
import { fixturePaths } from '../../models/fixtures/fixturePaths.js';
import { NOT_FOUND_ANSWER } from '../services/rag/index.js';
import { createApp, type HearthApp } from './createApp.js';
import { createDirectClient } from './createDirectClient.js';

const MANUAL = [
  'Pump manual.',
  'The pump valve sticks in cold weather. Heat the valve housing for ten minutes before starting the pump.',
  'Error E1234 means the valve is stuck.',
  'Replace the intake filter every six months; a clogged filter lowers the flow rate.',
].join('\n\n');

let dir: string;
let app: HearthApp;
let api: ApiClient;
const savedEmbedder = process.env.HEARTH_EMBEDDER;

async function open(): Promise<void> {
  app = await createApp({ dataDir: dir, cpuOnly: true, extraModelDirs: [path.dirname(fixturePaths.chatGguf)] });
  api = createDirectClient(app);
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-chat-'));
  // the tiny fixture embedder keeps the index build fast; the product default is USE-Lite
  process.env.HEARTH_EMBEDDER = `transformers:${fixturePaths.onnxEmbedderDir}`;
  await open();
  const ingest = await api['documents.ingest']({ files: [{ name: 'pump-manual.txt', bytesBase64: Buffer.from(MANUAL).toString('base64') }], collection: 'work' });
  expect(ingest.files[0]).toMatchObject({ status: 'indexed' });
  await api['models.load']({ path: fixturePaths.chatGguf, contextSize: 1024, threads: 2 });
  // cloud prices for the shadow (cloud-equivalent) cost: 2.5 / 10 µ$ per prompt / completion token
  app.services.ledger.importLiteLLM({ 'gpt-4o': { input_cost_per_token: 2.5e-6, output_cost_per_token: 1e-5, litellm_provider: 'openai' } }, { validFrom: 0 });
}, 240_000);

afterAll(async () => {
  await app?.dispose();
  if (savedEmbedder === undefined) delete process.env.HEARTH_EMBEDDER;
  else process.env.HEARTH_EMBEDDER = savedEmbedder;
  await fs.rm(dir, { recursive: true, force: true });
});

describe('chat.ask on the qwen2 fixture', () => {
  let conversationId = '';

  it('streams a grounded answer whose citations point only at retrieved passages, and writes a chat ledger row', async () => {
    const before = app.services.ledger.count();
    const requestId = api.newRequestId();
    const tokens: string[] = [];
    const phases: string[] = [];
    const offToken = api.on('chat.token', (e) => {
      if (e.requestId === requestId) tokens.push(e.text);
    });
    const offPhase = api.on('chat.phase', (e) => {
      if (e.requestId === requestId) phases.push(e.phase);
    });
    const out = await api['chat.ask'](
      { question: 'What should I do when the pump valve sticks in cold weather?', settings: { mode: 'bm25', k: 2 }, maxAnswerChars: 48, temperature: 0.8, seed: 3 },
      { requestId },
    );
    offToken();
    offPhase();
    conversationId = out.conversationId;
    const answer = out.answer;
    expect(answer.status).toBe('answered'); // the bounded grammar forced the sources line within the token budget
    expect(answer.text.length).toBeGreaterThan(0);
    expect(answer.text.length).toBeLessThanOrEqual(48);
    expect(tokens.join('').trim()).toBe(answer.text); // streamed text is the answer, without the sources line
    expect(phases).toEqual(['retrieving', 'generating', 'done']);
    expect(answer.citations.length).toBeGreaterThan(0);
    for (const c of answer.citations) {
      expect(c.index).toBeGreaterThanOrEqual(1);
      expect(c.index).toBeLessThanOrEqual(2);
      expect(c.documentName).toBe('pump-manual.txt');
      expect(MANUAL).toContain(c.quote);
      expect(c.page).toBe(1);
    }
    // every model call of the answer went through the pipeline into the ledger, as endpoint 'chat'
    expect(app.services.ledger.count()).toBe(before + 1);
    const row = app.services.ledger.getRequest(answer.stats!.requestIds[0]!)!;
    expect(row).toMatchObject({ endpoint: 'chat', status: 'ok', isLocal: true, completionTokens: answer.stats!.completionTokens });
    expect(row.grammarHash).not.toBeNull();
    expect(answer.stats!.costMicros).toBe(row.totalCostMicros);
    expect(row.shadow).toEqual([{ model: 'gpt-4o', totalCostMicros: expect.any(Number) }]);
    const gpt4o = answer.stats!.cloudEquivalent.find((c) => c.model === 'gpt-4o')!;
    expect(gpt4o.costMicros).toBe(row.shadow[0]!.totalCostMicros);
    expect(Math.abs(gpt4o.costMicros - (row.promptTokens * 2.5 + row.completionTokens * 10))).toBeLessThanOrEqual(1);
    expect(answer.stats!.tokensPerSecond).toBeGreaterThan(0);
  }, 180_000);

  it('answers "Not found in your documents." without any model call when nothing matches', async () => {
    const before = app.services.ledger.count();
    const out = await api['chat.ask']({ question: 'quantum chromodynamics lattice', conversationId, settings: { mode: 'bm25' } });
    expect(out.answer).toMatchObject({ text: NOT_FOUND_ANSWER, status: 'not-found', citations: [] });
    expect(app.services.ledger.count()).toBe(before);
  }, 60_000);

  it('keeps the history across a restart, and deletes conversations', async () => {
    await app.dispose();
    await open();
    const list = await api['chat.conversations']({});
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: conversationId, messageCount: 4, title: 'What should I do when the pump valve sticks in cold weather?' });
    const { messages } = await api['chat.history']({ conversationId });
    expect(messages.map((m) => [m.role, m.status])).toEqual([['user', null], ['assistant', 'answered'], ['user', null], ['assistant', 'not-found']]);
    expect(messages[1]!.citations.length).toBeGreaterThan(0);
    expect(messages[1]!.settings).toMatchObject({ mode: 'bm25', k: 2 });
    expect(await api['chat.deleteConversation']({ conversationId })).toEqual({ deleted: true });
    await expect(api['chat.history']({ conversationId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }, 120_000);
});
