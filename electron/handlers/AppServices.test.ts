import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ResponseCache } from '../services/cache/index.js';
import { createApp, type HearthApp } from './createApp.js';

let app: HearthApp | undefined;
let dir: string | undefined;
afterEach(async () => {
  await app?.dispose();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  app = undefined;
});

function localRow(requestId: string) {
  return {
    requestId,
    ts: Date.now(),
    userId: 'local',
    endpoint: 'chat',
    provider: 'local',
    model: 'tiny.gguf',
    promptTokens: 10,
    completionTokens: 10,
    cachedTokens: 0,
    latencyMs: 3_600_000, // one hour: energy = watts Wh
    status: 'ok' as const,
    errorCode: null,
    attempt: 1,
    parentRequestId: null,
    cacheHit: false,
    grammarHash: null,
    schemaHash: null,
  };
}

describe('AppServices wiring', () => {
  it('prices local requests with the power figures from Settings, and a change applies to later requests only', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-appservices-'));
    app = await createApp({ dataDir: dir, cpuOnly: true });
    const { ledger, settings } = app.services;
    await settings.update({ power: { deviceWatts: 100, electricityUsdPerKwh: 0.2, hardwareCostUsd: null, hardwareLifetimeHours: null } });
    ledger.recordRequest(localRow('r1'));
    await settings.update({ power: { deviceWatts: 50, electricityUsdPerKwh: 0.2, hardwareCostUsd: null, hardwareLifetimeHours: null } });
    ledger.recordRequest(localRow('r2'));
    const r1 = ledger.getRequest('r1')!;
    const r2 = ledger.getRequest('r2')!;
    // 100 W for 1 h = 0.1 kWh × $0.20 = $0.02 = 20,000 µ$; then half of it.
    expect(r1.totalCostMicros).toBe(20_000);
    expect(r2.totalCostMicros).toBe(10_000);
  });

  it('the response cache: the index embedder (not loaded at start), Settings → Cache live, stale corpus entries dropped', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-appservices-'));
    // a previous run left entries built on its corpus versions 0 and 3, and one with no corpus
    const previous = await ResponseCache.open({ dir });
    const answer = { text: 'a', provider: 'local', model: 'm', promptTokens: 1, completionTokens: 1, finishReason: 'stop' as const };
    const entry = (prompt: string, corpusVersion: string | null) => ({ model: 'm', prompt, corpusVersion, params: { maxTokens: 4, temperature: 0 } });
    await previous.store(entry('v0', '0'), answer);
    await previous.store(entry('v3', '3'), answer);
    await previous.store(entry('none', null), answer);
    await previous.dispose();
    app = await createApp({ dataDir: dir, cpuOnly: true, embedder: { kind: 'use-lite' } });
    const { costs, documents, settings } = app.services;
    // version 3 of the last run could collide with this run's version 3 while describing another corpus: dropped
    expect(costs.cache.stats().entries).toBe(2);
    expect(await costs.cache.lookup(entry('v0', '0'))).toMatchObject({ kind: 'exact' });
    expect(await costs.cache.lookup(entry('none', null))).toMatchObject({ kind: 'exact' });
    expect(costs.cache.embedderId).toBe(documents.embedder.id);
    expect(documents.embedder.loaded).toBe(false); // exact hits never load it
    expect(costs.cache.semanticThreshold).toBe(0.95);
    await settings.update({ cache: { semanticEnabled: false, semanticThreshold: 0.9, ttlHours: 1 } });
    expect(costs.cache).toMatchObject({ semanticThreshold: 0.9, ttlMs: 3_600_000, semanticActive: false });
    expect(await costs.cache.lookup(entry('v3', '3'))).toBeNull(); // a miss, but semantic is off: no embedder load
    expect(documents.embedder.loaded).toBe(false);
  });
});
