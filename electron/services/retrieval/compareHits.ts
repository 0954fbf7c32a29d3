/**
 * Score descending, then row id ascending. Equal BM25 scores are common (same term counts in
 * same-length chunks) and LanceDB returns tied FTS hits in a different order from run to run; ordering
 * ties by row id makes ranks repeatable for a given table version, and every search path (row refs,
 * id refs, full rows) can apply it without reading any column. (Which of the tied hits make the
 * `limit` cut is still LanceDB's choice; after a compaction renumbers rows, ties may reorder.)
 */
export function compareHits(a: { rowId?: bigint; score: number }, b: { rowId?: bigint; score: number }): number {
  if (b.score !== a.score) return b.score - a.score;
  if (a.rowId === undefined || b.rowId === undefined) return 0;
  return a.rowId < b.rowId ? -1 : a.rowId > b.rowId ? 1 : 0;
}
