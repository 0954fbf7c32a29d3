/**
 * Cost-ledger benchmark: `npm run bench:ledger` (1,000,000 rows) or
 * `LEDGER_BENCH_ROWS=100000 npm run bench:ledger` / `npm run bench:ledger -- --rows 100000`
 * (`--page-size 16384` / `--checkpoint-pages 1000` change the fresh database's SQLite page size /
 * WAL auto-checkpoint threshold, for comparisons).
 *
 * Generates seeded, realistic rows (50 users, 10 endpoints, 12 models — 9 cloud, 3 local with
 * 2 shadow-priced comparison models — over 90 days, lognormal token counts hence lognormal costs),
 * inserts them with `recordMany` in 5,000-row batches, then times each analytics query (median of
 * 5 after one warm-up) over the whole range and over a 30-day range with partial-day edges, and the
 * per-call overhead of `track()` on a cache hit (the cheapest call, so the overhead is most visible).
 * Targets: ≥ 50k rows/s, < 150 ms per query, < 0.5 ms overhead. Last line: one JSON object.
 *
 * The machine may be shared: the load average is printed at the start and the end, the insert
 * rate is also given per CPU-second (process.cpuUsage: less sensitive to other processes than
 * wall time), and the same-run baseline is the yardstick. The query plans of every statement
 * the reports prepared are checked for whole-table scans of `llm_requests` (there must be none).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LedgerRequestInput } from './ledgerTypes.js';
import { LedgerStore } from './LedgerStore.js';
import { mulberry32 } from '../../../shared/random/mulberry32.js';

const argRows = process.argv.indexOf('--rows');
const ROWS = Number(argRows >= 0 ? process.argv[argRows + 1] : (process.env.LEDGER_BENCH_ROWS ?? 1_000_000));
if (!Number.isSafeInteger(ROWS) || ROWS <= 0) throw new Error('--rows / LEDGER_BENCH_ROWS must be a positive integer');
const argPage = process.argv.indexOf('--page-size');
/** SQLite page size of the fresh bench database (default: LedgerStore's). For ablations only. */
const PAGE_SIZE = argPage >= 0 ? Number(process.argv[argPage + 1]) : undefined;
const argCkpt = process.argv.indexOf('--checkpoint-pages');
/** WAL auto-checkpoint threshold in pages (default: LedgerStore's). For ablations only. */
const CHECKPOINT_PAGES = argCkpt >= 0 ? Number(process.argv[argCkpt + 1]) : undefined;
const BATCH = 5000;
const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 1);
const START = END - 90 * DAY;

/** mulberry32: small, fast, seeded. */
const rng = mulberry32;
const rand = rng(20261126);
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const lognormal = (mu: number, sigma: number) => Math.round(Math.exp(mu + sigma * normal()));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

// [model, provider, input µ$/1M, output µ$/1M, cached µ$/1M | null]
const CLOUD: [string, string, number, number, number | null][] = [
  ['gpt-4o', 'openai', 2_500_000, 10_000_000, 1_250_000],
  ['gpt-4o-mini', 'openai', 150_000, 600_000, 75_000],
  ['gpt-4.1', 'openai', 2_000_000, 8_000_000, 500_000],
  ['o3-mini', 'openai', 1_100_000, 4_400_000, 550_000],
  ['claude-3-7-sonnet', 'anthropic', 3_000_000, 15_000_000, 300_000],
  ['claude-3-haiku', 'anthropic', 250_000, 1_250_000, 30_000],
  ['gemini-2.0-flash', 'gemini', 100_000, 400_000, 25_000],
  ['deepseek-chat', 'deepseek', 270_000, 1_100_000, 70_000],
  ['mistral-large', 'mistral', 2_000_000, 6_000_000, null],
];
const LOCAL = ['qwen2.5-1.5b-q4', 'llama-3.2-3b-q4', 'phi-3.5-mini-q4'];
const USERS = Array.from({ length: 50 }, (_, i) => `user${String(i).padStart(2, '0')}`);
const PROJECTS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
const ENDPOINTS = ['chat', 'extract', 'eval', 'summarize', 'classify', 'rerank', 'embed', 'qa', 'translate', 'agent'];

function makeRow(i: number): LedgerRequestInput {
  const local = rand() < 0.3;
  const promptTokens = Math.min(lognormal(6.5, 1.0), 120_000);
  const completionTokens = Math.min(lognormal(5, 1.0), 16_000);
  const r = rand();
  return {
    ts: START + Math.floor(((i + rand()) * 90 * DAY) / ROWS),
    userId: USERS[Math.min(49, Math.floor(50 * rand() ** 1.6))]!, // skewed: some users much heavier
    projectId: pick(PROJECTS),
    endpoint: pick(ENDPOINTS),
    ...(local
      ? { provider: 'node-llama-cpp', model: pick(LOCAL) }
      : (() => {
          const c = pick(CLOUD);
          return { provider: c[1], model: c[0] };
        })()),
    promptTokens,
    completionTokens,
    cachedTokens: !local && rand() < 0.2 ? Math.floor(promptTokens / 2) : 0,
    latencyMs: local ? Math.round(completionTokens * 40 + promptTokens * 2) : lognormal(6.8, 0.6),
    status: r < 0.97 ? 'ok' : r < 0.99 ? 'error' : 'cancelled',
    errorCode: r < 0.97 ? null : r < 0.99 ? 'PROVIDER_ERROR' : 'CANCELLED',
    cacheHit: rand() < 0.05,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
function time(fn: () => unknown, runs = 5): number {
  fn(); // warm-up (statement compile, page cache)
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

const dir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
const store = await LedgerStore.open({ dataDir: dir, compareModels: ['gpt-4o', 'gpt-4o-mini'], pageSize: PAGE_SIZE, checkpointPages: CHECKPOINT_PAGES });
try {
  for (const [model, provider, i, o, c] of CLOUD) {
    store.prices.setPrice({ model, provider, inputPer1M: i, outputPer1M: o, cachedInputPer1M: c, validFrom: 0, source: 'bench' });
  }
  const loadStart = loadavg().map((x) => Number(x.toFixed(2)));
  const pageSize = store.db.pragma('page_size', { simple: true }) as number;
  const checkpointPages = store.db.pragma('wal_autocheckpoint', { simple: true }) as number;
  console.log(`ledger bench: ${ROWS.toLocaleString('en-US')} rows, batches of ${BATCH}, page size ${pageSize}, WAL checkpoint every ${checkpointPages} pages; load average ${loadStart.join(' ')} (1/5/15 min, ${cpus().length} CPUs)`);

  // ---- inserts ----
  let genMs = 0;
  let insertMs = 0;
  let insertCpuMs = 0;
  for (let i = 0; i < ROWS; i += BATCH) {
    const g0 = performance.now();
    const batch = Array.from({ length: Math.min(BATCH, ROWS - i) }, (_, k) => makeRow(i + k));
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    store.recordMany(batch);
    const c = process.cpuUsage(c0);
    insertCpuMs += (c.user + c.system) / 1000;
    insertMs += performance.now() - t0;
    genMs += t0 - g0;
  }
  const insertRate = Math.round(ROWS / (insertMs / 1000));
  const insertCpuRate = Math.round(ROWS / (insertCpuMs / 1000));
  // Baseline in the same process: the same number of rows, with the columns of `llm_requests`, into an
  // unindexed table with one plain INSERT each, no pricing, no rollups — what this machine does at best right now.
  store.db.exec('CREATE TEMP TABLE bench_baseline AS SELECT * FROM llm_requests_data WHERE 0');
  const baseCols = (store.db.prepare('SELECT COUNT(*) AS n FROM pragma_table_info(\'llm_requests_data\')').get() as { n: number }).n;
  const baseIns = store.db.prepare(`INSERT INTO bench_baseline VALUES (${Array(baseCols).fill('?').join(', ')})`);
  const baseTail = Array<null>(baseCols - 25).fill(null); // columns past the 25 of v1–v5 (v6: shadow_costs) are null
  const baseRows = Math.min(ROWS, 200_000);
  const baseTx = store.db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      baseIns.run(`id-${i}`, START + i, 'user01', 'alpha', 'chat', 'openai', 'gpt-4o', 0, 500, 100, 0, 1250, 1000, 2250, 700, 'ok', null, 1, null, 0, null, null, null, 'bench@0', null, ...baseTail);
    }
  });
  const b0 = performance.now();
  const bc0 = process.cpuUsage();
  for (let i = 0; i < baseRows; i += BATCH) baseTx(i, Math.min(baseRows, i + BATCH));
  const bc = process.cpuUsage(bc0);
  const baselineRate = Math.round(baseRows / ((performance.now() - b0) / 1000));
  const baselineCpuRate = Math.round(baseRows / ((bc.user + bc.system) / 1e6));
  store.db.exec('DROP TABLE bench_baseline');
  // Shadow costs: one (model, µ$) entry of the request row's JSON column per comparison model (migration v6).
  const shadowRows = (store.db.prepare('SELECT COUNT(*) n FROM llm_requests_data r, json_each(r.shadow_costs) WHERE r.shadow_costs IS NOT NULL').get() as { n: number }).n;
  console.log(`insert: ${insertRate.toLocaleString('en-US')} rows/s (${(insertMs / 1000).toFixed(1)} s incl. pricing; +${shadowRows.toLocaleString('en-US')} shadow costs; generation ${(genMs / 1000).toFixed(1)} s not counted)`);
  console.log(`  baseline (unindexed bare INSERT, same process): ${baselineRate.toLocaleString('en-US')} rows/s → ledger is ${(insertRate / baselineRate).toFixed(2)}× baseline`);
  console.log(`  per CPU-second: ledger ${insertCpuRate.toLocaleString('en-US')} rows/s, baseline ${baselineCpuRate.toLocaleString('en-US')} rows/s (${(insertCpuRate / baselineCpuRate).toFixed(2)}×)`);

  // ---- queries ----
  const a = store.analytics;
  const range30 = { since: END - 30 * DAY - 5 * 3_600_000 - 17, until: END - 3_600_000 * 7 + 123 };
  const queries: Record<string, () => unknown> = {
    byDayModel: () => a.byDayModel(),
    byModel: () => a.byModel(),
    byUserTop10: () => a.byUser({ limit: 10 }),
    byEndpointP95: () => a.byEndpoint(),
    mostExpensive20: () => a.mostExpensive({ limit: 20 }),
    anomalies: () => a.anomalies(),
    localVsCloud: () => a.localVsCloud(),
    byDayModel_30d: () => a.byDayModel(range30),
    byUserTop10_30d: () => a.byUser({ ...range30, limit: 10 }),
    byEndpointP95_30d: () => a.byEndpoint(range30),
    mostExpensive20_30d: () => a.mostExpensive({ ...range30, limit: 20 }),
    anomalies_30d: () => a.anomalies(range30),
    localVsCloud_30d: () => a.localVsCloud(range30),
    checkBudget: () => store.checkBudget({ userId: 'user00', projectId: 'alpha', estimateMicros: 1, at: END - DAY }),
  };
  store.setBudget({ scope: 'user', scopeId: 'user00', period: 'month', limitUsd: '1000000' });
  store.setBudget({ scope: 'project', scopeId: 'alpha', period: 'month', limitUsd: '1000000' });
  const queryMs: Record<string, number> = {};
  for (const [name, fn] of Object.entries(queries)) {
    queryMs[name] = Number(time(fn).toFixed(2));
    console.log(`query ${name.padEnd(20)} median ${queryMs[name]!.toFixed(2)} ms`);
  }
  // Every statement the reports prepared, checked before the raw baseline below adds its own scans.
  const fullScans = a.explainPlans().filter((p) => p.plan.some((d) => /^SCAN llm_requests(_data)?\b/.test(d)));
  for (const p of fullScans) console.log(`  FULL SCAN: ${p.sql.slice(0, 120)} → ${p.plan.join(' | ')}`);
  console.log(`query plans: ${fullScans.length} statement(s) scan llm_requests whole`);
  const rawByDay = Number(time(() => a.byDayModel({ source: 'raw' }), 3).toFixed(1));
  console.log(`(baseline: byDayModel from the raw table, no rollup: ${rawByDay} ms)`);

  // ---- instrumentation overhead on a cached call ----
  const cached = { value: 'cached answer', usage: { promptTokens: 812, completionTokens: 96, cacheHit: true } };
  const call = async () => cached;
  const meta = { endpoint: 'chat', provider: 'openai', model: 'gpt-4o-mini', userId: 'user01', projectId: 'beta' };
  const N = 3000;
  const bare: number[] = [];
  const tracked: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    let t0 = performance.now();
    for (let i = 0; i < N; i++) await call();
    bare.push((performance.now() - t0) / N);
    t0 = performance.now();
    for (let i = 0; i < N; i++) await store.track(meta, call);
    tracked.push((performance.now() - t0) / N);
  }
  store.flush();
  const overheadMs = Number((median(tracked) - median(bare)).toFixed(4));
  console.log(`track() overhead on a cached call: ${overheadMs} ms/call (write-behind; median of 3×${N}; bare ${median(bare).toFixed(4)} ms, tracked ${median(tracked).toFixed(4)} ms)`);
  // The same with a commit per call (writeBehind: false), on a second connection to the same file.
  const syncStore = await LedgerStore.open({ dataDir: dir, writeBehind: false, compareModels: ['gpt-4o', 'gpt-4o-mini'] });
  const syncTimes: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    for (let i = 0; i < 500; i++) await syncStore.track(meta, call);
    syncTimes.push((performance.now() - t0) / 500);
  }
  syncStore.dispose();
  const syncOverheadMs = Number((median(syncTimes) - median(bare)).toFixed(4));
  console.log(`track() overhead, commit per call:   ${syncOverheadMs} ms/call (median of 3×500)`);

  const maxQuery = Math.max(...Object.values(queryMs));
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(
    JSON.stringify({
      bench: 'ledger',
      rows: ROWS,
      pageSize,
      checkpointPages,
      shadowRows,
      insertRowsPerSec: insertRate,
      baselineInsertRowsPerSec: baselineRate,
      insertRowsPerCpuSec: insertCpuRate,
      baselineRowsPerCpuSec: baselineCpuRate,
      loadAverageStart: loadStart,
      loadAverageEnd: loadavg().map((x) => Number(x.toFixed(2))),
      fullScanStatements: fullScans.length,
      queryMedianMs: queryMs,
      maxQueryMs: maxQuery,
      rawByDayModelMs: rawByDay,
      trackOverheadMs: overheadMs,
      trackOverheadCommitPerCallMs: syncOverheadMs,
      targets: { insert: insertRate >= 50_000, queries: maxQuery < 150, overhead: overheadMs < 0.5 },
    }),
  );
} finally {
  store.dispose();
  rmSync(dir, { recursive: true, force: true });
}
