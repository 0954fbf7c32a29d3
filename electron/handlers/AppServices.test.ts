import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
});
