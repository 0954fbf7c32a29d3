/**
 * Child process for the SIGKILL durability test: records requests one transaction at a time into
 * the ledger in `argv[2]` and prints `committed <n>` synchronously after each commit, until killed
 * (or `argv[3]` rows, default 200,000, as a bound so it can never run away).
 */
import { writeSync } from 'node:fs';
import { LedgerStore } from './LedgerStore.js';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: ledgerDurabilityChild <dataDir> [maxRows]');
const max = Number(process.argv[3] ?? 200_000);
const store = await LedgerStore.open({ dataDir: dir });
const T0 = Date.UTC(2026, 10, 1);
for (let i = 1; i <= max; i++) {
  store.recordRequest({
    requestId: `r${i}`,
    ts: T0 + i * 1000,
    userId: `u${i % 7}`,
    endpoint: 'chat',
    provider: 'local',
    model: 'm',
    promptTokens: i,
    completionTokens: 2 * i,
    latencyMs: i % 1000,
    status: 'ok',
  });
  writeSync(1, `committed ${i}\n`);
}
store.dispose();
