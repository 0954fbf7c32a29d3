import type Database from 'better-sqlite3';

/** Ordered migrations; index + 1 is the `user_version` they bring the file to. Never edit a shipped one: append. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE datasets (
     name TEXT NOT NULL,
     version INTEGER NOT NULL,
     hash TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('qa', 'extraction')),
     case_count INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     jsonl TEXT NOT NULL,
     PRIMARY KEY (name, version)
   );
   CREATE TABLE runs (
     id TEXT PRIMARY KEY,
     dataset_name TEXT NOT NULL,
     dataset_version INTEGER NOT NULL,
     variant_json TEXT NOT NULL,
     status TEXT NOT NULL,
     repeats INTEGER NOT NULL,
     total INTEGER NOT NULL,
     ab_id TEXT,
     created_at TEXT NOT NULL,
     finished_at TEXT,
     error_json TEXT,
     FOREIGN KEY (dataset_name, dataset_version) REFERENCES datasets (name, version)
   );
   CREATE INDEX runs_by_dataset ON runs (dataset_name, created_at);
   CREATE TABLE results (
     run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     case_id TEXT NOT NULL,
     repeat INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     input_json TEXT NOT NULL,
     expected_json TEXT,
     got TEXT NOT NULL,
     pass INTEGER NOT NULL,
     score REAL NOT NULL,
     metrics_json TEXT NOT NULL,
     latency_ms REAL NOT NULL,
     prompt_tokens INTEGER NOT NULL,
     completion_tokens INTEGER NOT NULL,
     cost_micros INTEGER,
     error_json TEXT,
     PRIMARY KEY (run_id, case_id, repeat)
   );
   CREATE TABLE ab_tests (
     id TEXT PRIMARY KEY,
     config_json TEXT NOT NULL,
     run_a TEXT NOT NULL REFERENCES runs (id),
     run_b TEXT NOT NULL REFERENCES runs (id),
     status TEXT NOT NULL,
     cases_total INTEGER NOT NULL,
     report_json TEXT,
     created_at TEXT NOT NULL,
     finished_at TEXT
   );`,
];

export const LATEST_EVAL_STORE_VERSION = MIGRATIONS.length;

/** Brings the database to the latest schema inside one transaction; returns the versions applied. */
export function migrateEvalStore(db: Database.Database): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const applied: number[] = [];
  db.transaction(() => {
    for (let v = current; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v]!);
      applied.push(v + 1);
    }
    if (applied.length) db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
  return applied;
}
