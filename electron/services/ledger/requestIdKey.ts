/** Hex digit value by ASCII code ('0'–'9', 'a'–'f' only; every other code -1). */
const NIBBLE = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) NIBBLE[48 + c] = c;
for (let c = 0; c < 6; c++) NIBBLE[97 + c] = 10 + c;
/** Where each byte's two hex digits start in `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`. */
const BYTE_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/**
 * How a request id is stored in `llm_requests_data.request_id` / `parent_request_id` (migration v7):
 * a canonical lowercase UUID string (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, what `uuidV7` makes)
 * becomes its 16 raw bytes; any other string (ids a caller supplied) is stored as the TEXT it is.
 *
 * Why: the id sits in the table row and again in its primary-key index. As 36 characters it was
 * the widest value of the row; as a 16-byte BLOB the row and the key index shrink by ~20 bytes
 * each, and SQLite's insert + commit time follows the bytes written (raw A/B on the bench's rows,
 * 300k rows, 2-core host: 15.97–17.26 µs/row as TEXT, 13.27–14.59 µs as BLOB).
 *
 * The mapping is exact both ways: only lowercase canonical strings are converted, and
 * {@link requestIdSql} turns the bytes back into exactly that string, so callers never see
 * the difference. BLOBs and TEXT never compare equal in SQLite, and lowercase hex sorts like the
 * bytes it encodes, so uniqueness and `ORDER BY` over UUIDs are unchanged.
 *
 * `into`: a 16-byte buffer to fill instead of allocating (better-sqlite3 copies bound BLOBs).
 */
export function requestIdKey(id: string, into?: Uint8Array): string | Uint8Array {
  if (id.length !== 36 || id.charCodeAt(8) !== 45 || id.charCodeAt(13) !== 45 || id.charCodeAt(18) !== 45 || id.charCodeAt(23) !== 45) {
    return id; // 45: '-'
  }
  const out = into ?? new Uint8Array(16);
  let bad = 0;
  for (let j = 0; j < 16; j++) {
    const at = BYTE_AT[j]!;
    const a = id.charCodeAt(at);
    const b = id.charCodeAt(at + 1);
    const hi = NIBBLE[a & 127]!;
    const lo = NIBBLE[b & 127]!;
    bad |= hi | lo | -((a | b) >> 7); // negative once any unit is not a lowercase hex digit (non-ASCII included)
    out[j] = (hi << 4) | lo;
  }
  return bad < 0 ? id : out;
}

/**
 * SQL for the stored id `col` as the caller's string: a BLOB (see {@link requestIdKey}) is
 * spelled back as a lowercase canonical UUID, TEXT is returned as is, NULL stays NULL. Pure SQL,
 * so `sqlite3 ledger.sqlite` users can paste it too.
 */
export function requestIdSql(col: string): string {
  const h = (from: number, n: number) => `substr(hex(${col}), ${from}, ${n})`;
  return `CASE WHEN typeof(${col}) = 'blob' THEN lower(${h(1, 8)} || '-' || ${h(9, 4)} || '-' || ${h(13, 4)} || '-' || ${h(17, 4)} || '-' || ${h(21, 12)}) ELSE ${col} END`;
}

/** `GLOB` pattern matching exactly the strings {@link requestIdKey} converts (for migrations). */
export const CANONICAL_UUID_GLOB = [8, 4, 4, 4, 12].map((n) => '[0-9a-f]'.repeat(n)).join('-');
