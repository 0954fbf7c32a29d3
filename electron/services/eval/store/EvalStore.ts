import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type {
  AbReport,
  EvalCase,
  EvalCaseResult,
  EvalDatasetSummary,
  EvalRun,
  EvalRunStatus,
  EvalVariant,
} from '../../../../shared/schemas/eval.js';
import { parseDatasetJsonl, serializeDatasetJsonl, type DatasetKind, type DatasetLineError } from '../datasets/index.js';
import { EvalNotFoundError } from './EvalNotFoundError.js';
import { EvalStorageError } from './EvalStorageError.js';
import { migrateEvalStore } from './migrateEvalStore.js';
import { summarizeResults, type SummaryRow } from './summarizeResults.js';

type DatasetRow = { name: string; version: number; hash: string; kind: DatasetKind; case_count: number; created_at: string };
type RunRow = {
  id: string; dataset_name: string; dataset_version: number; variant_json: string; status: EvalRunStatus; repeats: number; total: number;
  ab_id: string | null; created_at: string; finished_at: string | null; error_json: string | null;
};
type ResultRow = {
  case_id: string; repeat: number; input_json: string; expected_json: string | null; got: string; pass: number; score: number;
  metrics_json: string; latency_ms: number; prompt_tokens: number; completion_tokens: number; cost_micros: number | null; error_json: string | null;
};
type AbRow = { id: string; report_json: string | null; status: EvalRunStatus };

export type NewRun = { datasetName: string; datasetVersion: number; variant: EvalVariant; repeats: number; total: number; abId?: string | null; id?: string };

const toSummary = (r: EvalDatasetSummary | DatasetRow): EvalDatasetSummary =>
  'case_count' in r ? { name: r.name, version: r.version, hash: r.hash, kind: r.kind, caseCount: r.case_count, createdAt: r.created_at } : r;

/**
 * Eval datasets, runs, per-case results and A/B reports in one SQLite file (`<dataDir>/eval.sqlite`, WAL).
 *
 * - Datasets are imported through the datasets code (`parseDatasetJsonl`: bad lines reported by number and
 *   skipped) and versioned by the sha256 of their canonical JSONL: importing identical content returns the
 *   existing version. Stored as canonical JSONL text (what `DatasetStore` keeps as files), so a run can cite
 *   `name@vN` + hash. Trade-off vs the file-based `DatasetStore`: one transactional file the runs reference with a
 *   foreign key, at the cost of not being hand-editable.
 * - A result row is keyed (run, case, repeat) and written the moment the case finishes, so a crash or cancel
 *   loses at most the case in flight and a resumed run skips what is stored.
 * - Every statement is prepared once; nothing is built by string interpolation.
 */
export class EvalStore {
  private disposed = false;
  private readonly stmts;

  private constructor(
    readonly db: Database.Database,
    readonly file: string,
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.stmts = {
      datasetLatest: p('SELECT name, version, hash, kind, case_count, created_at FROM datasets WHERE name = ? ORDER BY version DESC LIMIT 1'),
      datasetVersion: p('SELECT name, version, hash, kind, case_count, created_at FROM datasets WHERE name = ? AND version = ?'),
      datasetVersions: p('SELECT name, version, hash, kind, case_count, created_at FROM datasets WHERE name = ? ORDER BY version'),
      datasetJsonl: p('SELECT jsonl FROM datasets WHERE name = ? AND version = ?'),
      datasetsLatest: p(`SELECT d.name, d.version, d.hash, d.kind, d.case_count, d.created_at FROM datasets d
        WHERE d.version = (SELECT MAX(version) FROM datasets x WHERE x.name = d.name) ORDER BY d.name`),
      insertDataset: p('INSERT INTO datasets (name, version, hash, kind, case_count, created_at, jsonl) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insertRun: p(`INSERT INTO runs (id, dataset_name, dataset_version, variant_json, status, repeats, total, ab_id, created_at)
        VALUES (@id, @datasetName, @datasetVersion, @variant, 'running', @repeats, @total, @abId, @createdAt)`),
      run: p('SELECT * FROM runs WHERE id = ?'),
      runs: p('SELECT * FROM runs ORDER BY created_at DESC, rowid DESC LIMIT ?'),
      runsByDataset: p('SELECT * FROM runs WHERE dataset_name = ? ORDER BY created_at DESC, rowid DESC LIMIT ?'),
      setStatus: p('UPDATE runs SET status = ?, finished_at = ?, error_json = ? WHERE id = ?'),
      markInterrupted: p(`UPDATE runs SET status = 'interrupted' WHERE status = 'running'`),
      markAbInterrupted: p(`UPDATE ab_tests SET status = 'interrupted' WHERE status = 'running'`),
      insertResult: p(`INSERT INTO results (run_id, case_id, repeat, seq, input_json, expected_json, got, pass, score, metrics_json, latency_ms,
        prompt_tokens, completion_tokens, cost_micros, error_json)
        VALUES (@runId, @caseId, @repeat, (SELECT COUNT(*) FROM results WHERE run_id = @runId), @input, @expected, @got, @pass, @score, @metrics,
        @latencyMs, @promptTokens, @completionTokens, @costMicros, @error)
        ON CONFLICT (run_id, case_id, repeat) DO NOTHING`),
      resultKeys: p('SELECT case_id, repeat FROM results WHERE run_id = ?'),
      results: p('SELECT * FROM results WHERE run_id = ? ORDER BY seq'),
      failures: p('SELECT * FROM results WHERE run_id = ? AND pass = 0 ORDER BY seq LIMIT ?'),
      summaryRows: p('SELECT pass, score, latency_ms, prompt_tokens, completion_tokens, cost_micros, error_json IS NOT NULL AS errored FROM results WHERE run_id = ?'),
      insertAb: p(`INSERT INTO ab_tests (id, config_json, run_a, run_b, status, cases_total, created_at) VALUES (?, ?, ?, ?, 'running', ?, ?)`),
      ab: p('SELECT id, report_json, status FROM ab_tests WHERE id = ?'),
      abs: p('SELECT id, report_json, status FROM ab_tests ORDER BY created_at DESC, rowid DESC LIMIT ?'),
      saveAb: p('UPDATE ab_tests SET report_json = ?, status = ?, finished_at = ? WHERE id = ?'),
    };
  }

  /**
   * Opens (creating and migrating) `<dataDir>/eval.sqlite`. Runs left 'running' by a previous process are marked
   * 'interrupted' (resumable).
   */
  static async open(options: { dataDir: string } | { file: string }): Promise<EvalStore> {
    const file = 'file' in options ? options.file : path.join(options.dataDir, 'eval.sqlite');
    let db: Database.Database;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      db = new Database(file);
    } catch (e) {
      throw new EvalStorageError(file, 'open', e);
    }
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      migrateEvalStore(db);
      const store = new EvalStore(db, file);
      store.stmts.markInterrupted.run();
      store.stmts.markAbInterrupted.run();
      return store;
    } catch (e) {
      db.close();
      throw new EvalStorageError(file, 'open', e);
    }
  }

  /** Imports JSONL as the next version of `name` (or returns the latest one, `created: false`, when the content is unchanged). */
  importDataset(name: string, jsonl: string, kind: DatasetKind = 'qa'): { dataset: EvalDatasetSummary; errors: DatasetLineError[]; created: boolean } {
    this.assertOpen();
    const { dataset, errors } = parseDatasetJsonl(jsonl, { name, kind });
    const text = serializeDatasetJsonl(dataset.cases);
    const hash = createHash('sha256').update(text).digest('hex');
    return this.db.transaction(() => {
      const latest = this.stmts.datasetLatest.get(name) as DatasetRow | undefined;
      if (latest !== undefined && latest.hash === hash && latest.kind === kind) return { dataset: toSummary(latest), errors, created: false };
      const summary: EvalDatasetSummary = { name, version: (latest?.version ?? 0) + 1, hash, kind, caseCount: dataset.cases.length, createdAt: new Date().toISOString() };
      this.stmts.insertDataset.run(name, summary.version, hash, kind, summary.caseCount, summary.createdAt, text);
      return { dataset: summary, errors, created: true };
    })();
  }

  listDatasets(): EvalDatasetSummary[] {
    this.assertOpen();
    return (this.stmts.datasetsLatest.all() as DatasetRow[]).map(toSummary);
  }

  datasetVersions(name: string): EvalDatasetSummary[] {
    this.assertOpen();
    return (this.stmts.datasetVersions.all(name) as DatasetRow[]).map(toSummary);
  }

  /** A dataset version (default latest) with its cases. @throws EvalNotFoundError */
  getDataset(name: string, version?: number): { dataset: EvalDatasetSummary; cases: EvalCase[] } {
    this.assertOpen();
    const row = (version === undefined ? this.stmts.datasetLatest.get(name) : this.stmts.datasetVersion.get(name, version)) as DatasetRow | undefined;
    if (row === undefined) throw new EvalNotFoundError('dataset', version === undefined ? name : `${name}@v${version}`);
    const { jsonl } = this.stmts.datasetJsonl.get(row.name, row.version) as { jsonl: string };
    const { dataset } = parseDatasetJsonl(jsonl, { name: row.name, kind: row.kind });
    return { dataset: toSummary(row), cases: dataset.cases };
  }

  createRun(run: NewRun): string {
    this.assertOpen();
    const id = run.id ?? randomUUID();
    this.stmts.insertRun.run({
      id, datasetName: run.datasetName, datasetVersion: run.datasetVersion, variant: JSON.stringify(run.variant), repeats: run.repeats,
      total: run.total, abId: run.abId ?? null, createdAt: new Date().toISOString(),
    });
    return id;
  }

  setRunStatus(runId: string, status: EvalRunStatus, error: { code: string; message: string } | null = null): void {
    this.assertOpen();
    const finished = status === 'running' ? null : new Date().toISOString();
    if (this.stmts.setStatus.run(status, finished, error === null ? null : JSON.stringify(error), runId).changes === 0) throw new EvalNotFoundError('run', runId);
  }

  /** Stores one case result; a second write for the same (run, case, repeat) is ignored (returns false). */
  saveResult(runId: string, r: EvalCaseResult): boolean {
    this.assertOpen();
    try {
      return this.stmts.insertResult.run({
        runId, caseId: r.caseId, repeat: r.repeat, input: JSON.stringify(r.input), expected: r.expected === undefined ? null : JSON.stringify(r.expected),
        got: r.got, pass: r.pass ? 1 : 0, score: r.score, metrics: JSON.stringify(r.metrics), latencyMs: r.latencyMs, promptTokens: r.promptTokens,
        completionTokens: r.completionTokens, costMicros: r.costMicros === null ? null : Math.round(r.costMicros), error: r.error === null ? null : JSON.stringify(r.error),
      }).changes === 1;
    } catch (e) {
      throw new EvalStorageError(this.file, 'write result', e);
    }
  }

  /** Keys `${caseId}\u0000${repeat}` of the stored results of a run (what a resumed run skips). */
  doneKeys(runId: string): Set<string> {
    this.assertOpen();
    return new Set((this.stmts.resultKeys.all(runId) as { case_id: string; repeat: number }[]).map((r) => resultKey(r.case_id, r.repeat)));
  }

  results(runId: string): EvalCaseResult[] {
    this.assertOpen();
    return (this.stmts.results.all(runId) as ResultRow[]).map(fromResultRow);
  }

  /** @throws EvalNotFoundError */
  getRun(runId: string): EvalRun {
    this.assertOpen();
    const row = this.stmts.run.get(runId) as RunRow | undefined;
    if (row === undefined) throw new EvalNotFoundError('run', runId);
    return this.fromRunRow(row);
  }

  getRunDetail(runId: string, failureLimit = 200): EvalRun & { failures: EvalCaseResult[] } {
    const run = this.getRun(runId);
    return { ...run, failures: (this.stmts.failures.all(runId, failureLimit) as ResultRow[]).map(fromResultRow) };
  }

  listRuns(options: { dataset?: string; limit?: number } = {}): EvalRun[] {
    this.assertOpen();
    const limit = options.limit ?? 50;
    const rows = (options.dataset === undefined ? this.stmts.runs.all(limit) : this.stmts.runsByDataset.all(options.dataset, limit)) as RunRow[];
    return rows.map((r) => this.fromRunRow(r));
  }

  createAb(config: unknown, runA: string, runB: string, casesTotal: number, id: string = randomUUID()): string {
    this.assertOpen();
    this.stmts.insertAb.run(id, JSON.stringify(config), runA, runB, casesTotal, new Date().toISOString());
    return id;
  }

  saveAbReport(report: AbReport): void {
    this.assertOpen();
    this.stmts.saveAb.run(JSON.stringify(report), report.status, report.finishedAt, report.id);
  }

  /** @throws EvalNotFoundError (also while no report was saved yet) */
  getAb(abId: string): AbReport {
    this.assertOpen();
    const row = this.stmts.ab.get(abId) as AbRow | undefined;
    if (row === undefined || row.report_json === null) throw new EvalNotFoundError('ab', abId);
    return { ...(JSON.parse(row.report_json) as AbReport), status: row.status };
  }

  listAbs(limit = 50): AbReport[] {
    this.assertOpen();
    return (this.stmts.abs.all(limit) as AbRow[]).filter((r) => r.report_json !== null).map((r) => ({ ...(JSON.parse(r.report_json!) as AbReport), status: r.status }));
  }

  /** Checkpoints the WAL and closes. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }

  private fromRunRow(row: RunRow): EvalRun {
    const rows = (this.stmts.summaryRows.all(row.id) as { pass: number; score: number; latency_ms: number; prompt_tokens: number; completion_tokens: number; cost_micros: number | null; errored: number }[]).map(
      (r): SummaryRow => ({ pass: r.pass === 1, score: r.score, latencyMs: r.latency_ms, promptTokens: r.prompt_tokens, completionTokens: r.completion_tokens, costMicros: r.cost_micros, errored: r.errored === 1 }),
    );
    return {
      id: row.id,
      datasetName: row.dataset_name,
      datasetVersion: row.dataset_version,
      variant: JSON.parse(row.variant_json) as EvalVariant,
      status: row.status,
      repeats: row.repeats,
      abId: row.ab_id,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
      error: row.error_json === null ? null : (JSON.parse(row.error_json) as { code: string; message: string }),
      summary: summarizeResults(rows, row.total),
    };
  }

  private assertOpen(): void {
    if (this.disposed) throw new EvalStorageError(this.file, 'use', new Error('the store is disposed'));
  }
}

export const resultKey = (caseId: string, repeat: number): string => `${caseId}\u0000${repeat}`;

function fromResultRow(r: ResultRow): EvalCaseResult {
  return {
    caseId: r.case_id,
    repeat: r.repeat,
    input: JSON.parse(r.input_json) as unknown,
    expected: r.expected_json === null ? undefined : (JSON.parse(r.expected_json) as unknown),
    got: r.got,
    pass: r.pass === 1,
    score: r.score,
    metrics: JSON.parse(r.metrics_json) as EvalCaseResult['metrics'],
    latencyMs: r.latency_ms,
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    costMicros: r.cost_micros,
    error: r.error_json === null ? null : (JSON.parse(r.error_json) as { code: string; message: string }),
  };
}
