import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../shared/index.js';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { createApp, type HearthApp } from '../createApp.js';
import { createDirectClient } from '../createDirectClient.js';

/**
 * Grounded chat through the app's response cache: the question is the paraphrasable part (semantic layer, USE-Lite as
 * the app wires it), and the corpus version the entries are keyed on survives a restart.
 */
const GUIDE = ['Travel guide.', 'Paris is the capital of France. The Louvre is in Paris.', 'Berlin is the capital of Germany.'].join('\n\n');
const QUESTION = 'What is the capital of France?';
const PARAPHRASE = "What's the capital of France?"; // 0.989 with USE-Lite (see DEFAULT_CACHE_SETTINGS)

let dir: string;
let app: HearthApp;
let api: ApiClient;

async function open(): Promise<void> {
  app = await createApp({ dataDir: dir, cpuOnly: true, extraModelDirs: [path.dirname(fixturePaths.chatGguf)], embedder: { kind: 'use-lite' } });
  api = createDirectClient(app);
  await api['models.load']({ path: fixturePaths.chatGguf, contextSize: 1024, threads: 2 });
}

const ask = (question: string) => api['chat.ask']({ question, settings: { mode: 'bm25', k: 2 }, maxAnswerChars: 40, temperature: 0 });
const counters = () => app.services.costs.cache.stats();

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-chat-cache-'));
  await open();
  const ingest = await api['documents.ingest']({ files: [{ name: 'guide.txt', bytesBase64: Buffer.from(GUIDE).toString('base64') }] });
  expect(ingest.files[0]).toMatchObject({ status: 'indexed' });
}, 240_000);

afterAll(async () => {
  await app?.dispose();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('chat and the response cache', () => {
  let first = '';

  it('a rephrased question over the same corpus is answered from the semantic layer', async () => {
    const a = await ask(QUESTION);
    first = a.answer.text;
    const before = counters();
    expect(before.entries).toBeGreaterThan(0);
    const b = await ask(PARAPHRASE);
    expect(b.answer.text).toBe(first);
    const after = counters();
    expect(after.semanticHits).toBeGreaterThan(before.semanticHits);
    expect(after.misses).toBe(before.misses);
    // a question that changes a number is not served the other's answer, however similar it embeds
    await ask('Name the capital of France in 2 words.');
    const two = counters();
    await ask('Name the capital of France in 3 words.');
    const three = counters();
    expect(three.semanticHits).toBe(two.semanticHits);
    expect(three.semanticGuarded).toBe(two.semanticGuarded + 1); // it did embed above the threshold: the guard refused it
  }, 180_000);

  it('keeps cached answers across a restart (the corpus version is persisted); a new document makes them miss', async () => {
    const version = app.services.documents.corpusVersion();
    expect(version).toBeGreaterThan(0);
    await app.dispose();
    await open();
    expect(app.services.documents.corpusVersion()).toBe(version);
    const before = counters();
    const again = await ask(QUESTION);
    expect(again.answer.text).toBe(first);
    expect(counters().exactHits).toBe(before.exactHits + 1);

    const ingest = await api['documents.ingest']({ files: [{ name: 'more.txt', bytesBase64: Buffer.from('Madrid is the capital of Spain.').toString('base64') }] });
    expect(ingest.files[0]).toMatchObject({ status: 'indexed' });
    expect(app.services.documents.corpusVersion()).toBe(version + 1);
    const mid = counters();
    await ask(QUESTION);
    const after = counters();
    expect(after.exactHits).toBe(mid.exactHits);
    expect(after.semanticHits).toBe(mid.semanticHits);
    expect(after.misses).toBeGreaterThan(mid.misses);
  }, 240_000);
});
