import type Database from 'better-sqlite3';

/**
 * The ledger's dictionary of names (migration v7): every user, project, endpoint, provider, model
 * and pricing-version string a request row refers to is stored once in `ledger_names` and the row
 * holds its integer id (`user_ref`, `project_ref`, …). The `llm_requests` view spells the ids back.
 *
 * Why: as text those six strings cost ~50 bytes per row (table and indexes), and insert + commit time
 * follows the bytes written (raw A/B, 1M bench-shaped rows, 2-core host: 15.0 µs/row with text, 12.6 µs
 * with ids). The trade-off is on the read side: a name costs one probe of the dictionary's integer key —
 * per group where the reports group by ids (partial-day edges), per row for whoever reads the view.
 *
 * Ids are never reused or renumbered, so an id this object has seen stays right for every
 * connection. `idOf` inserts inside the caller's write transaction; if that transaction rolls
 * back, call {@link forget} — the ids handed out in it are gone from the file.
 */
export class LedgerNames {
  private readonly ids = new Map<string, number>();
  private readonly find: Database.Statement<[string], number>;
  private readonly insert: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.find = db.prepare<[string], number>('SELECT id FROM ledger_names WHERE name = ?').pluck();
    this.insert = db.prepare<[string]>('INSERT INTO ledger_names (name) VALUES (?)');
  }

  /** The id of `name`, adding it to the dictionary if new. Call inside a write transaction. */
  idOf(name: string): number {
    const cached = this.ids.get(name);
    if (cached !== undefined) return cached;
    let id = this.find.get(name);
    if (id === undefined) id = Number(this.insert.run(name).lastInsertRowid);
    this.ids.set(name, id);
    return id;
  }

  /** Drops the cache (after a rolled-back write: ids it added may not exist). */
  forget(): void {
    this.ids.clear();
  }

  /** SQL for the name behind the id column `col` (NULL for a NULL id). */
  static sql(col: string): string {
    return `(SELECT name FROM ledger_names WHERE id = ${col})`;
  }

  /** SQL for the id of the bound name (NULL if it was never stored: then nothing matches). */
  static idSql(param = '?'): string {
    return `(SELECT id FROM ledger_names WHERE name = ${param})`;
  }
}
