import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runLedgerCommand } from './cli/runLedgerCommand.js';
import { LedgerStore } from './LedgerStore.js';
import { migrateLedger } from './migrateLedger.js';
import { requestIdKey, requestIdSql } from './requestIdKey.js';
import { uuidV7 } from './uuidV7.js';

describe('migration v7 (narrow request rows behind the llm_requests view)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-v7-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('converts canonical ids and parent links of a v6 file, keeps other ids as text, and every lookup still works', async () => {
    const file = join(dir, 'ledger.sqlite');
    const db = new Database(file);
    expect(migrateLedger(db, 6)).toEqual([1, 2, 3, 4, 5, 6]);
    const ins = db.prepare(`INSERT INTO llm_requests (request_id, ts, user_id, project_id, endpoint, provider, model, prompt_tokens,
      completion_tokens, prompt_cost_micros, completion_cost_micros, total_cost_micros, latency_ms, status, attempt, parent_request_id)
      VALUES (?, ?, 'u', 'p', 'chat', 'openai', 'm', 10, 20, 1, 2, ?, 5, 'ok', ?, ?)`);
    const T = Date.UTC(2026, 5, 1);
    const first = uuidV7(T);
    const upper = '0190F3A2-7B1C-7DEF-8A9B-0123456789AB';
    const rows: [string, number, number, string | null][] = [
      [first, 3, 1, null],
      [uuidV7(T + 1), 30, 2, first], // a retry of `first`
      ['caller-id-1', 7, 1, null],
      [upper, 9, 2, 'caller-id-1'],
      ['caller-id-2', 5, 3, first],
    ];
    rows.forEach(([id, cost, attempt, parent], i) => ins.run(id, T + i, cost, attempt, parent));
    db.close();

    const store = await LedgerStore.open({ file });
    try {
      const types = store.db.prepare('SELECT typeof(request_id) AS id, typeof(parent_request_id) AS parent FROM llm_requests_data ORDER BY ts').all();
      expect(types).toEqual([
        { id: 'blob', parent: 'null' },
        { id: 'blob', parent: 'blob' },
        { id: 'text', parent: 'null' },
        { id: 'text', parent: 'text' },
        { id: 'text', parent: 'blob' },
      ]);
      for (const [id, cost, attempt, parent] of rows) {
        expect(store.getRequest(id)).toMatchObject({ requestId: id, totalCostMicros: cost, attempt, parentRequestId: parent });
      }
      expect(store.getRequest(first.toUpperCase())).toBeUndefined();
      // rows written straight into the v6 file have no rollups: the raw report reads them
      expect(store.analytics.mostExpensive({ limit: 3, source: 'raw' }).map((r) => r.requestId)).toEqual([rows[1]![0], upper, 'caller-id-1']);
      // the key still refuses a duplicate, whichever way the id is stored
      expect(() => store.recordRequest({ requestId: first, endpoint: 'chat', provider: 'openai', model: 'm', promptTokens: 1, completionTokens: 1, latencyMs: 1, status: 'ok' })).toThrow();
      expect(() => store.recordRequest({ requestId: 'caller-id-1', endpoint: 'chat', provider: 'openai', model: 'm', promptTokens: 1, completionTokens: 1, latencyMs: 1, status: 'ok' })).toThrow();
      // children of a blob parent are found through the partial parent index
      const children = store.db.prepare(`SELECT ${requestIdSql('request_id')} FROM llm_requests_data INDEXED BY llm_requests_parent
        WHERE parent_request_id = ? ORDER BY ts`).pluck().all(requestIdKey(first));
      expect(children).toEqual([rows[1]![0], 'caller-id-2']);
      const out: string[] = [];
      store.exportRequests({ format: 'ndjson', write: (c) => out.push(c) });
      expect(out.map((l) => (JSON.parse(l) as { request_id: string; parent_request_id: string | null }))
        .map((r) => [r.request_id, r.parent_request_id])).toEqual(rows.map(([id, , , parent]) => [id, parent]));
    } finally {
      store.dispose();
    }
  });

  it('still refuses out-of-range values with the rewritten CHECKs, and the view reads names and ids back', async () => {
    const store = await LedgerStore.open({ dataDir: dir });
    try {
      const row = store.recordRequest({ endpoint: 'chat', provider: 'openai', model: 'gpt-x', userId: 'ann', promptTokens: 3, completionTokens: 4, latencyMs: 9, status: 'ok' });
      const cols = `request_id, ts, user_ref, project_ref, endpoint_ref, provider_ref, model_ref, is_local, prompt_tokens, completion_tokens,
        prompt_cost_micros, completion_cost_micros, total_cost_micros, latency_ms, status, attempt, cache_hit`;
      const ins = store.db.prepare(`INSERT INTO llm_requests_data (${cols}) VALUES (?, 1, 1, 1, 1, 1, 1, ?, 1, 1, 0, 0, 0, 1, ?, 1, ?)`);
      const good = [0, 'ok', 0] as const;
      expect(() => ins.run('x1', ...good)).not.toThrow();
      for (const [isLocal, status, hit] of [[2, 'ok', 0], [0, 'OK', 0], [0, 'done', 0], [0, 'ok', 2], [-1, 'ok', 0], [0, 'ok', 1.5]] as const) {
        expect(() => ins.run(`bad-${isLocal}-${status}-${hit}`, isLocal, status, hit)).toThrow(/CHECK constraint failed/);
      }
      for (const status of ['error', 'cancelled']) expect(() => ins.run(`ok-${status}`, 1, status, 1)).not.toThrow();
      const viewRow = store.db.prepare('SELECT request_id, user_id, project_id, endpoint, provider, model, pricing_version FROM llm_requests WHERE request_id = ?')
        .get(row.requestId);
      expect(viewRow).toEqual({ request_id: row.requestId, user_id: 'ann', project_id: 'default', endpoint: 'chat', provider: 'openai', model: 'gpt-x', pricing_version: null });
      expect(store.db.prepare('SELECT name FROM ledger_names ORDER BY id').pluck().all()).toEqual(['ann', 'default', 'chat', 'openai', 'gpt-x']);
    } finally {
      store.dispose();
    }
  });

  it('a rolled-back batch takes its new names with it, and the next write stores them again', async () => {
    const store = await LedgerStore.open({ dataDir: dir });
    try {
      const base = { endpoint: 'chat', provider: 'openai', model: 'm', promptTokens: 1, completionTokens: 1, latencyMs: 1, status: 'ok' } as const;
      // the second row repeats the first's id: the whole batch rolls back, 'zed' and 'proj-z' with it
      expect(() => store.recordMany([{ ...base, requestId: 'dup', userId: 'zed', projectId: 'proj-z' }, { ...base, requestId: 'dup' }])).toThrow();
      expect(store.count()).toBe(0);
      expect(store.db.prepare("SELECT COUNT(*) FROM ledger_names WHERE name IN ('zed', 'proj-z')").pluck().get()).toBe(0);
      const row = store.recordRequest({ ...base, userId: 'zed', projectId: 'proj-z' });
      expect(store.db.prepare('SELECT user_id, project_id FROM llm_requests WHERE request_id = ?').get(row.requestId)).toEqual({ user_id: 'zed', project_id: 'proj-z' });
      expect(store.getRequest(row.requestId)).toMatchObject({ userId: 'zed', projectId: 'proj-z' });
      expect(store.analytics.byUser()).toEqual(store.analytics.byUser({ source: 'raw' }));
    } finally {
      store.dispose();
    }
  });

  it('`ledger compact` gives the pages the upgrade freed back to the disk, and every row reads the same', async () => {
    const file = join(dir, 'ledger.sqlite');
    const db = new Database(file);
    migrateLedger(db, 6);
    const ins = db.prepare(`INSERT INTO llm_requests (request_id, ts, user_id, project_id, endpoint, provider, model, prompt_tokens,
      completion_tokens, prompt_cost_micros, completion_cost_micros, total_cost_micros, latency_ms, status)
      VALUES (?, ?, ?, 'p', ?, 'openai', 'm', 10, 20, 1, 2, ?, 5, 'ok')`);
    const T = Date.UTC(2026, 5, 1);
    db.transaction(() => {
      for (let i = 0; i < 4000; i++) ins.run(uuidV7(T + i), T + i * 1000, `user-${i % 7}`, ['chat', 'extract'][i % 2], i % 97);
    })();
    db.close();
    const store = await LedgerStore.open({ dataDir: dir });
    try {
      const rows = () => store.db.prepare('SELECT * FROM llm_requests ORDER BY rowid').all();
      const before = rows();
      expect(before).toHaveLength(4000);
      expect(store.db.pragma('freelist_count', { simple: true })).toBeGreaterThan(50); // the v6 table's pages
      const out: string[] = [];
      expect(await runLedgerCommand(['compact', '--json'], { dataDir: dir, json: false, out: (c) => out.push(c), store })).toBe(0);
      const r = JSON.parse(out.join('')) as { bytesBefore: number; bytesAfter: number; freePagesBefore: number };
      expect(r.freePagesBefore).toBeGreaterThan(50);
      expect(r.bytesAfter).toBeLessThan(r.bytesBefore);
      expect(store.db.pragma('freelist_count', { simple: true })).toBe(0);
      expect(rows()).toEqual(before);
      expect(store.getRequest((before[17] as { request_id: string }).request_id)).toMatchObject({ userId: 'user-3', endpoint: 'extract' });
    } finally {
      store.dispose();
    }
  });
});
