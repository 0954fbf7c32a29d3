import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../shared/random/mulberry32.js';
import type { LedgerRequestInput } from './ledgerTypes.js';
import { LedgerStore } from './LedgerStore.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const D0 = Date.UTC(2026, 9, 1);
const PRICES = {
  'cloud-a': { input_cost_per_token: 2.5e-6, output_cost_per_token: 1e-5, cache_read_input_token_cost: 1.25e-6, litellm_provider: 'openai' },
  'cloud-b': { input_cost_per_token: 1.5e-7, output_cost_per_token: 6e-7, litellm_provider: 'other' },
};
const TABLES = ['rollup_day_model', 'rollup_day_user', 'rollup_day_project', 'rollup_day_endpoint', 'rollup_hour_user',
  'rollup_day_shadow', 'rollup_day_endpoint_hist'];

function rows(seed: number, n: number): LedgerRequestInput[] {
  const rand = mulberry32(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  return Array.from({ length: n }, (): LedgerRequestInput => {
    const local = rand() < 0.3;
    return {
      // several days and hours, not in time order, one name shared by a user and an endpoint
      ts: D0 + Math.floor(rand() * 4 * DAY),
      userId: pick(['u1', 'u2', 'chat']),
      projectId: pick(['p1', 'p2']),
      endpoint: pick(['chat', 'extract']),
      provider: local ? 'local' : pick(['openai', 'other']),
      model: local ? 'qwen' : pick(['cloud-a', 'cloud-b']),
      promptTokens: Math.floor(rand() * 5000),
      completionTokens: Math.floor(rand() * 800),
      latencyMs: Math.floor(rand() * 30_000),
      status: 'ok',
      cacheHit: rand() < 0.1,
    };
  });
}

async function storeWith(write: (s: LedgerStore, input: LedgerRequestInput[]) => void, input: LedgerRequestInput[]) {
  const s = await LedgerStore.open({ file: ':memory:', compareModels: ['cloud-a', 'cloud-b'] });
  s.importLiteLLM(PRICES, { validFrom: 0 });
  write(s, input);
  return s;
}

const dump = (s: LedgerStore) => TABLES.map((t) => s.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all());

describe('RollupBatch (through LedgerStore.recordMany)', () => {
  it('one batch over many days, hours and keys writes the same rollups as one row per commit, and as a recount', async () => {
    const input = rows(5, 600).map((r, i) => ({ ...r, requestId: `r${i}` }));
    const batched = await storeWith((s, xs) => s.recordMany(xs), input);
    const single = await storeWith((s, xs) => xs.forEach((x) => s.recordRequest(x)), input);
    try {
      const got = dump(batched);
      expect(got).toEqual(dump(single));
      expect(got[0]!.length).toBeGreaterThan(4 * 3); // really several days × models
      // and equal to GROUP BY over the stored rows
      const recount = batched.db.prepare(`SELECT ts / ${DAY} AS day, model, provider, COUNT(*) AS requests, SUM(prompt_tokens) AS p,
        SUM(cost) AS c, SUM(cache_hit) AS hits, SUM(COALESCE(saved_micros, 0)) AS saved FROM (SELECT *, total_cost_micros AS cost FROM llm_requests)
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`).all();
      const rolled = batched.db.prepare(`SELECT day, model, provider, requests, prompt_tokens AS p, cost_micros AS c, cache_hits AS hits,
        saved_micros AS saved FROM rollup_day_model ORDER BY 1, 2, 3`).all();
      expect(rolled).toEqual(recount);
      const hours = batched.db.prepare(`SELECT user_id, ts / ${HOUR} AS hour, COUNT(*) AS requests, SUM(total_cost_micros) AS cost
        FROM llm_requests GROUP BY 1, 2 ORDER BY 1, 2`).all();
      expect(batched.db.prepare('SELECT user_id, hour, requests, cost_micros AS cost FROM rollup_hour_user ORDER BY 1, 2').all()).toEqual(hours);
      const shadow = batched.db.prepare(`SELECT r.ts / ${DAY} AS day, s.key AS model, COUNT(*) AS requests, SUM(r.total_cost_micros) AS local,
        SUM(s.value) AS cloud FROM llm_requests r, json_each(r.shadow_costs) s GROUP BY 1, 2 ORDER BY 1, 2`).all();
      expect(shadow.length).toBeGreaterThan(0);
      expect(batched.db.prepare(`SELECT day, model, requests, local_cost_micros AS local, shadow_cost_micros AS cloud
        FROM rollup_day_shadow ORDER BY 1, 2`).all()).toEqual(shadow);
    } finally {
      batched.dispose();
      single.dispose();
    }
  });

  it('a second batch adds onto the rows the first one created', async () => {
    const input = rows(6, 300);
    const twice = await storeWith((s, xs) => {
      s.recordMany(xs.slice(0, 150));
      s.recordMany(xs.slice(150));
    }, input);
    const once = await storeWith((s, xs) => s.recordMany(xs), input);
    try {
      expect(dump(twice)).toEqual(dump(once));
    } finally {
      twice.dispose();
      once.dispose();
    }
  });
});
