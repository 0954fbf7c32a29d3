import type Database from 'better-sqlite3';
import { CostBuckets } from './CostBuckets.js';
import { LedgerNames } from './LedgerNames.js';
import { CANONICAL_UUID_GLOB, requestIdSql } from './requestIdKey.js';

/** One schema step. `up` runs inside the same transaction that records the version. */
export interface LedgerMigration {
  version: number;
  name: string;
  up: (db: Database.Database) => void;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Ordered schema history. Never edit a shipped step; append a new one.
 * v1: requests + prices. v2: shadow costs, budgets, alerts. v3: rollups (backfilled). v4: cache savings, alert
 * acknowledgement, shadow table without its foreign key. v5: the (endpoint, cost, ts) index is replaced by a
 * (day, endpoint, cost) expression index plus a daily cost-bucket rollup (backfilled).
 * v6: shadow costs move into a JSON column of the request row, the ts index goes (insert rate, issue #5).
 * v7: rows move to `llm_requests_data` with names as integer ids (`ledger_names`), uuid ids as 16-byte blobs and
 *     CHECKs without IN lists; `llm_requests` becomes a view with the v6 columns; the cost-bucket rollup becomes one
 *     JSON row per day and endpoint (insert rate, issue #5).
 * Indexes on the request rows are deliberately few (each costs a B-tree insert per row): since v6 only the request_id
 * key, the partial parent index (no entry for first attempts) and day+endpoint+cost+ts, which serves exact p95 and
 * most-expensive (v5) and every time range (range edges, export, first/last request). Per-user/project spend for budgets
 * comes from the daily rollups, which are exact because budget periods are whole UTC days/months.
 */
export const ledgerMigrations: readonly LedgerMigration[] = [
  {
    version: 1,
    name: 'requests and prices',
    up: (db) => {
      db.exec(`
        CREATE TABLE llm_requests (
          request_id TEXT PRIMARY KEY NOT NULL,
          ts INTEGER NOT NULL,
          user_id TEXT NOT NULL,
          project_id TEXT NOT NULL,
          endpoint TEXT NOT NULL,
          provider TEXT NOT NULL,
          model TEXT NOT NULL,
          is_local INTEGER NOT NULL DEFAULT 0 CHECK (is_local IN (0, 1)),
          prompt_tokens INTEGER NOT NULL CHECK (prompt_tokens >= 0),
          completion_tokens INTEGER NOT NULL CHECK (completion_tokens >= 0),
          cached_tokens INTEGER NOT NULL DEFAULT 0 CHECK (cached_tokens >= 0),
          prompt_cost_micros INTEGER NOT NULL,
          completion_cost_micros INTEGER NOT NULL,
          total_cost_micros INTEGER NOT NULL,
          latency_ms INTEGER NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('ok', 'error', 'cancelled')),
          error_code TEXT,
          attempt INTEGER NOT NULL DEFAULT 1 CHECK (attempt >= 1),
          parent_request_id TEXT,
          cache_hit INTEGER NOT NULL DEFAULT 0 CHECK (cache_hit IN (0, 1)),
          grammar_hash TEXT,
          schema_hash TEXT,
          energy_mwh INTEGER,
          pricing_version TEXT
        );
        CREATE INDEX llm_requests_ts ON llm_requests (ts);
        CREATE INDEX llm_requests_endpoint_cost ON llm_requests (endpoint, total_cost_micros, ts);
        CREATE INDEX llm_requests_parent ON llm_requests (parent_request_id) WHERE parent_request_id IS NOT NULL;

        CREATE TABLE prices (
          model TEXT NOT NULL,
          provider TEXT NOT NULL,
          input_per_1m_micros INTEGER NOT NULL,
          output_per_1m_micros INTEGER NOT NULL,
          cached_input_per_1m_micros INTEGER,
          max_input_tokens INTEGER,
          mode TEXT,
          valid_from INTEGER NOT NULL,
          valid_to INTEGER,
          source TEXT NOT NULL,
          PRIMARY KEY (model, provider, valid_from)
        );
      `);
    },
  },
  {
    version: 2,
    name: 'shadow costs, budgets, alerts',
    up: (db) => {
      db.exec(`
        CREATE TABLE llm_request_shadow (
          request_id TEXT NOT NULL REFERENCES llm_requests (request_id),
          model TEXT NOT NULL,
          total_cost_micros INTEGER NOT NULL,
          PRIMARY KEY (request_id, model)
        ) WITHOUT ROWID;

        CREATE TABLE budgets (
          scope TEXT NOT NULL CHECK (scope IN ('user', 'project')),
          scope_id TEXT NOT NULL,
          period TEXT NOT NULL CHECK (period IN ('day', 'month')),
          limit_micros INTEGER NOT NULL CHECK (limit_micros >= 0),
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (scope, scope_id, period)
        );

        CREATE TABLE alerts (
          id INTEGER PRIMARY KEY,
          ts INTEGER NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('budget', 'anomaly')),
          scope TEXT NOT NULL,
          scope_id TEXT NOT NULL,
          period TEXT NOT NULL,
          period_start INTEGER NOT NULL,
          threshold_pct INTEGER NOT NULL,
          spent_micros INTEGER NOT NULL,
          limit_micros INTEGER,
          message TEXT NOT NULL,
          UNIQUE (kind, scope, scope_id, period, period_start, threshold_pct)
        );
      `);
    },
  },
  {
    version: 3,
    name: 'daily/hourly rollups',
    up: (db) => {
      const additive = `requests INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
          cached_tokens INTEGER NOT NULL, cost_micros INTEGER NOT NULL, latency_sum_ms INTEGER NOT NULL`;
      const sums = `COUNT(*), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), SUM(total_cost_micros), SUM(latency_ms)`;
      db.exec(`
        CREATE TABLE rollup_day_model (day INTEGER NOT NULL, model TEXT NOT NULL, provider TEXT NOT NULL, ${additive},
          PRIMARY KEY (day, model, provider)) WITHOUT ROWID;
        CREATE TABLE rollup_day_user (day INTEGER NOT NULL, user_id TEXT NOT NULL, ${additive},
          PRIMARY KEY (day, user_id)) WITHOUT ROWID;
        CREATE TABLE rollup_day_project (day INTEGER NOT NULL, project_id TEXT NOT NULL, ${additive},
          PRIMARY KEY (day, project_id)) WITHOUT ROWID;
        CREATE TABLE rollup_day_endpoint (day INTEGER NOT NULL, endpoint TEXT NOT NULL, ${additive},
          PRIMARY KEY (day, endpoint)) WITHOUT ROWID;
        CREATE TABLE rollup_hour_user (user_id TEXT NOT NULL, hour INTEGER NOT NULL, requests INTEGER NOT NULL,
          cost_micros INTEGER NOT NULL, PRIMARY KEY (user_id, hour)) WITHOUT ROWID;
        CREATE TABLE rollup_day_shadow (day INTEGER NOT NULL, model TEXT NOT NULL, requests INTEGER NOT NULL,
          local_cost_micros INTEGER NOT NULL, shadow_cost_micros INTEGER NOT NULL,
          PRIMARY KEY (day, model)) WITHOUT ROWID;

        INSERT INTO rollup_day_model SELECT ts / ${DAY_MS}, model, provider, ${sums} FROM llm_requests GROUP BY 1, 2, 3;
        INSERT INTO rollup_day_user SELECT ts / ${DAY_MS}, user_id, ${sums} FROM llm_requests GROUP BY 1, 2;
        INSERT INTO rollup_day_project SELECT ts / ${DAY_MS}, project_id, ${sums} FROM llm_requests GROUP BY 1, 2;
        INSERT INTO rollup_day_endpoint SELECT ts / ${DAY_MS}, endpoint, ${sums} FROM llm_requests GROUP BY 1, 2;
        INSERT INTO rollup_hour_user SELECT user_id, ts / ${HOUR_MS}, COUNT(*), SUM(total_cost_micros)
          FROM llm_requests GROUP BY 1, 2;
        INSERT INTO rollup_day_shadow SELECT r.ts / ${DAY_MS}, s.model, COUNT(*), SUM(r.total_cost_micros), SUM(s.total_cost_micros)
          FROM llm_request_shadow s JOIN llm_requests r USING (request_id) GROUP BY 1, 2;
      `);
    },
  },
  {
    version: 4,
    name: 'cache savings, alert acknowledgement, shadow rows without FK',
    up: (db) => {
      // A cache hit costs 0; `saved_micros` is what the miss would have cost (null when unpriced or not a hit).
      // The daily model rollup carries hit counts and savings so the Costs screen never scans raw rows for them.
      db.exec(`
        ALTER TABLE llm_requests ADD COLUMN saved_micros INTEGER;
        ALTER TABLE rollup_day_model ADD COLUMN cache_hits INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE rollup_day_model ADD COLUMN saved_micros INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE alerts ADD COLUMN acknowledged_at INTEGER;
        -- Shadow rows lose their FOREIGN KEY: they are only ever written in the same transaction as their request
        -- row (LedgerStore.writeRows), so the per-row parent lookup it cost bought nothing (ablation at 100k rows:
        -- write path 29k → 36k rows/s without it).
        CREATE TABLE llm_request_shadow_v4 (
          request_id TEXT NOT NULL,
          model TEXT NOT NULL,
          total_cost_micros INTEGER NOT NULL,
          PRIMARY KEY (request_id, model)
        ) WITHOUT ROWID;
        INSERT INTO llm_request_shadow_v4 SELECT request_id, model, total_cost_micros FROM llm_request_shadow;
        DROP TABLE llm_request_shadow;
        ALTER TABLE llm_request_shadow_v4 RENAME TO llm_request_shadow;
        UPDATE rollup_day_model SET cache_hits = h.n
          FROM (SELECT ts / ${DAY_MS} AS day, model, provider, COUNT(*) AS n FROM llm_requests WHERE cache_hit = 1 GROUP BY 1, 2, 3) AS h
          WHERE h.day = rollup_day_model.day AND h.model = rollup_day_model.model AND h.provider = rollup_day_model.provider;
      `);
    },
  },
  {
    version: 5,
    name: 'day/endpoint/cost index and cost-bucket rollup instead of the endpoint/cost index',
    up: (db) => {
      // The v1 (endpoint, total_cost_micros, ts) index put every new row at a random position of a
      // 1M-entry B-tree: each 5k-row batch dirtied thousands of pages (ablation at 200k rows on a
      // loaded 2-core host: 24k rows/s with it, 33k without; issue #5 measured 18k vs 46k). Keyed by day first, this one only grows today's corner
      // (~10 endpoints × a few pages per batch). Exact p95 / top N: find the bucket holding the rank
      // in `rollup_day_endpoint_bucket` (≈ 50 rows per day and endpoint), then read that bucket's
      // exact costs from this index, one seek per day that has any. The expression must be written exactly
      // `ts / ${DAY_MS}` in queries for SQLite to use the index (ts is a non-negative integer, so
      // SQL's truncating division equals the floor the write path uses). The trailing ts makes the
      // partial edge days of a range covered too: their costs are read from the index with no table
      // lookups (1M rows, 30-day range: the edge read went from ~25 ms to a few ms).
      db.function(CostBuckets.SQL_FUNCTION, { deterministic: true }, (c: unknown) => CostBuckets.of(Number(c)));
      db.exec(`
        DROP INDEX IF EXISTS llm_requests_endpoint_cost;
        CREATE INDEX llm_requests_day_endpoint_cost ON llm_requests (ts / ${DAY_MS}, endpoint, total_cost_micros, ts);
        -- Keyed endpoint-first, not day-first: the reports' GROUP BY endpoint, bucket then streams in key order
        -- (200k rows: 12 ms instead of 36 ms to sort ~45k rollup rows), and "days of this endpoint with
        -- bucket ≥ b" is a seek. It costs writes little: ~800 in-place upserts per 5k-row batch over ~50k
        -- small rows (~300 pages), against ~5,000 random index pages per batch for the v1 index.
        CREATE TABLE rollup_day_endpoint_bucket (endpoint TEXT NOT NULL, bucket INTEGER NOT NULL, day INTEGER NOT NULL,
          requests INTEGER NOT NULL, PRIMARY KEY (endpoint, bucket, day)) WITHOUT ROWID;
        INSERT INTO rollup_day_endpoint_bucket
          SELECT endpoint, ${CostBuckets.SQL_FUNCTION}(total_cost_micros), ts / ${DAY_MS}, COUNT(*) FROM llm_requests GROUP BY 1, 2, 3;
      `);
    },
  },
  {
    version: 6,
    name: 'shadow costs inline, no ts index',
    up: (db) => {
      // Write-path ablation (CPU µs per row on the bench's rows, loaded 2-core host): the separate shadow table cost
      // ~4 µs/row (0.57 extra B-tree inserts of (uuid text, model text) keys per request), the ts index ~4 µs/row.
      // Shadow costs become one JSON object column on the request row ({"model": µ$, ...}; integers, so exact; NULL
      // when none): `getRequest` parses it, raw reports read it with json_each. Time ranges now go through the
      // (ts / day, endpoint, cost, ts) index of v5 with the day bounds spelled out (`ts / ${DAY_MS} BETWEEN ? AND ?`),
      // and MIN/MAX(ts) through the first/last day of `rollup_day_model`; the costs of that choice are slower
      // partial-day edge reads (an ~8k-row edge: ~10 ms via the ts index, ~15 ms via this one; 30-day reports at 1M rows
      // gained 10–40 ms on a loaded host, still far under the 150 ms target), an export sorted in a temp B-tree instead
      // of streamed in ts order, and `source: 'raw'` reports scanning the table (they are the verification path).
      db.exec(`
        ALTER TABLE llm_requests ADD COLUMN shadow_costs TEXT;
        UPDATE llm_requests SET shadow_costs = s.j
          FROM (SELECT request_id, json_group_object(model, total_cost_micros) AS j FROM llm_request_shadow GROUP BY request_id) AS s
          WHERE s.request_id = llm_requests.request_id;
        DROP TABLE llm_request_shadow;
        DROP INDEX llm_requests_ts;
      `);
    },
  },
  {
    version: 7,
    name: 'narrow request rows (names as ids, uuids as blobs; llm_requests becomes a view), one bucket-count row per day and endpoint',
    up: (db) => {
      // Insert + commit time follows the bytes written per row (raw A/B, 1M bench-shaped rows, 2-core host:
      // 17.3 µs/row as v6, 15.0 µs with blob ids, 12.6 µs with blob ids and integer names). The rows move to
      // `llm_requests_data`; `llm_requests` is now a view with the v6 columns (plus its rowid), so reports,
      // exports and anyone running `sqlite3 ledger.sqlite` read the same names and id strings as before.
      // Only lowercase canonical UUIDs become blobs (what requestIdKey converts), so requestIdSql spells each
      // one back exactly; other ids stay TEXT (a BLOB never equals a TEXT: the key cannot collide). Rowids are
      // kept, so the rows stay in time order on disk. No foreign keys from the refs: each would cost a probe
      // per insert, and only LedgerStore writes them, through LedgerNames. The CHECKs spell `x IN (a, b)` as
      // `x = a OR x = b`: same meaning, but SQLite builds an ephemeral table for each IN list every time the INSERT
      // runs, and with one INSERT per row the three of v1 cost ~3.7 µs/row, a quarter of the insert (same-process A/B).
      const toKey = (col: string) =>
        `CASE WHEN typeof(${col}) = 'text' AND ${col} GLOB '${CANONICAL_UUID_GLOB}' THEN unhex(replace(${col}, '-', '')) ELSE ${col} END`;
      const ref = LedgerNames.idSql;
      db.exec(`
        CREATE TABLE ledger_names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        INSERT INTO ledger_names (name) SELECT user_id FROM llm_requests UNION SELECT project_id FROM llm_requests
          UNION SELECT endpoint FROM llm_requests UNION SELECT provider FROM llm_requests UNION SELECT model FROM llm_requests
          UNION SELECT pricing_version FROM llm_requests WHERE pricing_version IS NOT NULL ORDER BY 1;
        CREATE TABLE llm_requests_data (
          request_id BLOB PRIMARY KEY NOT NULL, -- 16-byte uuid, or the caller's TEXT id
          ts INTEGER NOT NULL,
          user_ref INTEGER NOT NULL,
          project_ref INTEGER NOT NULL,
          endpoint_ref INTEGER NOT NULL,
          provider_ref INTEGER NOT NULL,
          model_ref INTEGER NOT NULL,
          is_local INTEGER NOT NULL DEFAULT 0 CHECK (is_local = 0 OR is_local = 1),
          prompt_tokens INTEGER NOT NULL CHECK (prompt_tokens >= 0),
          completion_tokens INTEGER NOT NULL CHECK (completion_tokens >= 0),
          cached_tokens INTEGER NOT NULL DEFAULT 0 CHECK (cached_tokens >= 0),
          prompt_cost_micros INTEGER NOT NULL,
          completion_cost_micros INTEGER NOT NULL,
          total_cost_micros INTEGER NOT NULL,
          latency_ms INTEGER NOT NULL,
          status TEXT NOT NULL CHECK (status = 'ok' OR status = 'error' OR status = 'cancelled'),
          error_code TEXT,
          attempt INTEGER NOT NULL DEFAULT 1 CHECK (attempt >= 1),
          parent_request_id BLOB,
          cache_hit INTEGER NOT NULL DEFAULT 0 CHECK (cache_hit = 0 OR cache_hit = 1),
          grammar_hash TEXT,
          schema_hash TEXT,
          energy_mwh INTEGER,
          pricing_ref INTEGER,
          saved_micros INTEGER,
          shadow_costs TEXT
        );
        INSERT INTO llm_requests_data SELECT ${toKey('request_id')}, ts, ${ref('user_id')}, ${ref('project_id')}, ${ref('endpoint')},
          ${ref('provider')}, ${ref('model')}, is_local, prompt_tokens, completion_tokens, cached_tokens, prompt_cost_micros,
          completion_cost_micros, total_cost_micros, latency_ms, status, error_code, attempt, ${toKey('parent_request_id')}, cache_hit,
          grammar_hash, schema_hash, energy_mwh, ${ref('pricing_version')}, saved_micros, shadow_costs FROM llm_requests ORDER BY rowid;
        DROP TABLE llm_requests;
        CREATE INDEX llm_requests_day_endpoint_cost ON llm_requests_data (ts / ${DAY_MS}, endpoint_ref, total_cost_micros, ts);
        CREATE INDEX llm_requests_parent ON llm_requests_data (parent_request_id) WHERE parent_request_id IS NOT NULL;
        CREATE VIEW llm_requests AS SELECT rowid AS rowid, ${requestIdSql('request_id')} AS request_id, ts,
          ${LedgerNames.sql('user_ref')} AS user_id, ${LedgerNames.sql('project_ref')} AS project_id,
          ${LedgerNames.sql('endpoint_ref')} AS endpoint, ${LedgerNames.sql('provider_ref')} AS provider,
          ${LedgerNames.sql('model_ref')} AS model, is_local, prompt_tokens, completion_tokens, cached_tokens, prompt_cost_micros,
          completion_cost_micros, total_cost_micros, latency_ms, status, error_code, attempt,
          ${requestIdSql('parent_request_id')} AS parent_request_id, cache_hit, grammar_hash, schema_hash, energy_mwh,
          ${LedgerNames.sql('pricing_ref')} AS pricing_version, saved_micros, shadow_costs
          FROM llm_requests_data;
        -- The v5 bucket rollup was keyed (endpoint, bucket, day): a batch's ~450 new (endpoint, bucket) counts for today
        -- each landed on a different page (at 1M rows the WAL grew from 1.1 to 2.3 MB per 5k-row batch). One row per
        -- (day, endpoint) holding a JSON object of bucket counts keeps a batch's writes on a page or two, and a report
        -- reads 10 rows per day instead of ~450.
        CREATE TABLE rollup_day_endpoint_hist (day INTEGER NOT NULL, endpoint TEXT NOT NULL, counts TEXT NOT NULL,
          PRIMARY KEY (day, endpoint)) WITHOUT ROWID;
        INSERT INTO rollup_day_endpoint_hist SELECT day, endpoint, json_group_object(CAST(bucket AS TEXT), requests)
          FROM (SELECT day, endpoint, bucket, requests FROM rollup_day_endpoint_bucket ORDER BY day, endpoint, bucket) GROUP BY day, endpoint;
        DROP TABLE rollup_day_endpoint_bucket;
      `);
    },
  },
];

export const LATEST_LEDGER_VERSION = ledgerMigrations[ledgerMigrations.length - 1]!.version;

/**
 * Brings `db` to `target` (default: latest), one transaction per step, recording each version in
 * `schema_migrations`. Refuses a database newer than this code (downgrades are not supported).
 * Returns the versions applied.
 */
export function migrateLedger(db: Database.Database, target: number = LATEST_LEDGER_VERSION): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const current =
    (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  if (current > LATEST_LEDGER_VERSION) {
    throw new RangeError(`ledger schema v${current} is newer than this app (v${LATEST_LEDGER_VERSION})`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const m of ledgerMigrations) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      record.run(m.version, m.name, Date.now());
    })();
    applied.push(m.version);
  }
  return applied;
}
