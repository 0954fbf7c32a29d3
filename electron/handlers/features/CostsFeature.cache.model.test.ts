import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../shared/index.js';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { createApp, type HearthApp } from '../createApp.js';
import { createDirectClient } from '../createDirectClient.js';

/**
 * The response cache as the app wires it: the Documents feature's embedder (USE-Lite, the zero-download default)
 * behind the semantic layer, Settings → Cache as its policy, the real RequestPipeline and ledger, the fixture chat
 * model. Similarities quoted below were measured with USE-Lite (see DEFAULT_CACHE_SETTINGS).
 */
let dir: string;
let app: HearthApp;
let api: ApiClient;

const BASE = 'What is the capital of France?';
const PARAPHRASE = "What's the capital of France?"; // 0.989 with USE-Lite
const NEIGHBOUR = 'What is the capital of Germany?'; // 0.844: a different question

async function openApp(embedder: Parameters<typeof createApp>[0]['embedder']): Promise<void> {
  app = await createApp({ dataDir: dir, cpuOnly: true, extraModelDirs: [path.dirname(fixturePaths.chatGguf)], ...(embedder ? { embedder } : {}) });
  api = createDirectClient(app);
}

async function generate(prompt: string): Promise<{ text: string; streamed: string[] }> {
  const streamed: string[] = [];
  const off = api.on('llm.token', (e) => streamed.push(e.text));
  try {
    const r = await api['llm.generate']({ prompt, maxTokens: 8, temperature: 0 });
    return { text: r.text, streamed };
  } finally {
    off();
  }
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-cache-app-'));
  await openApp({ kind: 'use-lite' });
  // expensive power makes the saved money of a local hit visible in whole micro-dollars
  await api['settings.update']({ power: { deviceWatts: 5000, electricityUsdPerKwh: 10, hardwareCostUsd: null, hardwareLifetimeHours: null } });
}, 120_000);
afterAll(async () => {
  await app?.dispose();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('semantic response cache in the app (USE-Lite, real pipeline, fixture model)', () => {
  it('the embedder is not loaded at start; the first cacheable miss loads it', async () => {
    expect(app.services.documents.embedder.loaded).toBe(false);
    expect(app.services.costs.cache.embedderId).toBe('use-lite');
    await api['models.load']({ path: fixturePaths.chatGguf, contextSize: 512, threads: 2 });
    expect(app.services.documents.embedder.loaded).toBe(false);
    const first = await generate(BASE);
    expect(first.streamed.join('')).toBe(first.text);
    expect(app.services.documents.embedder.loaded).toBe(true);
    expect(app.services.costs.cache.stats()).toMatchObject({ entries: 1, hits: 0, misses: 1 });
  });

  it('Settings → Cache applies live: a threshold above the paraphrase turns it into a miss', async () => {
    await api['settings.update']({ cache: { semanticEnabled: true, semanticThreshold: 0.995, ttlHours: 2 } });
    expect(app.services.costs.cache.semanticThreshold).toBe(0.995);
    expect(app.services.costs.cache.ttlMs).toBe(2 * 3_600_000);
    const rows = app.services.ledger.count();
    await generate('Summarise the boiler manual in two sentences.');
    await generate('Summarize the boiler manual in two sentences.'); // 0.970 < 0.995
    expect(app.services.costs.cache.stats()).toMatchObject({ semanticHits: 0, hits: 0 });
    expect(app.services.ledger.count()).toBe(rows + 2); // both ran the model
    await api['settings.update']({ cache: { semanticEnabled: true, semanticThreshold: 0.95, ttlHours: 168 } });
  });

  it('a paraphrase above the threshold is served from the cache, streamed, and recorded with the money it saved', async () => {
    const original = await generate(BASE); // exact hit of the first test's entry
    const before = (await api['costs.summary']({})).totals;
    const hit = await generate(PARAPHRASE);
    expect(hit.text).toBe(original.text);
    expect(hit.streamed.length).toBeGreaterThan(0);
    expect(hit.streamed.join('')).toBe(hit.text);
    expect(app.services.costs.cache.stats()).toMatchObject({ semanticHits: 1, exactHits: 1 });
    const after = (await api['costs.summary']({})).totals;
    expect(after.requests).toBe(before.requests + 1);
    expect(after.cacheHits).toBe(before.cacheHits + 1);
    expect(after.savedMicros).toBeGreaterThan(before.savedMicros); // the local run's energy at 5 kW × $10/kWh
    expect(after.costMicros).toBe(before.costMicros); // a hit costs nothing
  });

  it('a different question below the threshold misses and runs the model', async () => {
    const stats = app.services.costs.cache.stats();
    const hits = (await api['costs.summary']({})).totals.cacheHits;
    await generate(NEIGHBOUR);
    expect(app.services.costs.cache.stats()).toMatchObject({ hits: stats.hits, misses: stats.misses + 1, entries: stats.entries + 1 });
    expect((await api['costs.summary']({})).totals.cacheHits).toBe(hits);
  });

  it('grounded chat: a repeat is a streamed hit; a document change invalidates it', async () => {
    const doc = (name: string, text: string) => ({ name, bytesBase64: Buffer.from(text).toString('base64') });
    const ingest = await api['documents.ingest']({ files: [doc('boiler.txt', 'The boiler pressure must stay below 2 bar.')], collection: 'home' });
    expect(ingest.files[0]).toMatchObject({ status: 'indexed' });
    const ask = async () => {
      const tokens: string[] = [];
      const off = api.on('chat.token', (e) => tokens.push(e.text));
      try {
        const r = await api['chat.ask']({ question: 'What pressure must the boiler stay below?', settings: { mode: 'bm25', k: 1 }, maxAnswerChars: 40, temperature: 0 });
        return { answer: r.answer.text, tokens };
      } finally {
        off();
      }
    };
    const cache = app.services.costs.cache;
    const first = await ask();
    const entries = cache.stats().entries;
    const exactHits = cache.stats().exactHits;
    const second = await ask();
    expect(cache.stats().exactHits).toBe(exactHits + 1);
    expect(second.answer).toBe(first.answer);
    expect(second.tokens.length).toBeGreaterThan(0);
    expect(second.tokens.join('')).toBe(first.tokens.join('')); // the hit streams what the miss streamed
    // another document changes the corpus: the chat entry built on the old corpus is dropped, other entries stay
    await api['documents.ingest']({ files: [doc('garden.txt', 'Water the tomatoes every morning.')], collection: 'home' });
    expect(cache.stats().entries).toBe(entries - 1);
    const rows = app.services.ledger.count();
    await ask();
    expect(cache.stats().exactHits).toBe(exactHits + 1);
    expect(app.services.ledger.count()).toBeGreaterThan(rows); // the model ran again
  });

  it('after a switch to another embedder, old vectors never match (exact hits still do)', async () => {
    await app.dispose();
    await openApp({ kind: 'transformers', modelDir: fixturePaths.onnxEmbedderDir });
    await api['models.load']({ path: fixturePaths.chatGguf, contextSize: 512, threads: 2 });
    const cache = app.services.costs.cache;
    expect(cache.embedderId).toBe('transformers:tiny-embedder');
    const before = cache.stats();
    const rows = app.services.ledger.count();
    await generate(PARAPHRASE); // a semantic hit under USE-Lite; nothing to compare with under the new embedder
    expect(cache.stats()).toMatchObject({ semanticHits: before.semanticHits, misses: before.misses + 1 });
    expect(app.services.ledger.count()).toBe(rows + 1);
    await generate(BASE);
    expect(cache.stats()).toMatchObject({ exactHits: before.exactHits + 1 });
  });
});
