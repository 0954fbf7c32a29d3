/**
 * Log-scale buckets over integer µ$ costs, for exact order statistics (p95, top N) without a
 * per-row B-tree keyed by cost.
 *
 * Layout: costs 0–7 get one bucket each; from 8 up every power of two is split into
 * {@link CostBuckets.SUB} equal-width buckets (a bucket spans ≤ 25% of its values), negative
 * costs (never produced by the pricer, but representable) share bucket −1. Bucket ids are
 * monotonic in cost, so "walk the buckets from the top, then read the exact costs of the one
 * bucket holding the wanted rank" finds any order statistic exactly.
 *
 * Trade-off: 4 sub-buckets keep the daily bucket rollup small (≈ 40 rows per day and endpoint on
 * realistic lognormal costs, ~36k rows for 90 days × 10 endpoints) at the price of reading a
 * few thousand exact costs from the day/endpoint/cost index at 1M rows; 8 sub-buckets halve that
 * read but double the rollup scan.
 */
export const CostBuckets = {
  /** Sub-buckets per power of two (from 8 µ$ up). Fixed: stored bucket ids depend on it. */
  SUB: 4,
  /** Name under which {@link CostBuckets.of} is registered as a SQL function for backfills. */
  SQL_FUNCTION: 'ledger_cost_bucket',

  /** Bucket id of an integer cost (non-integers are floored). */
  of(cost: number): number {
    const c = Math.floor(cost);
    if (c < 0) return -1;
    if (c < 8) return c;
    let e: number;
    if (c <= 0x7fff_ffff) e = 31 - Math.clz32(c); // exact integer log2, no float rounding (the write path's case)
    else {
      e = Math.floor(Math.log2(c));
      if (2 ** e > c) e--;
      else if (2 ** (e + 1) <= c) e++;
    }
    const width = 2 ** (e - 2);
    const sub = Math.floor(c / width) - 4;
    return 8 + (e - 3) * CostBuckets.SUB + sub;
  },

  /** Inclusive cost bounds of a bucket id. Bucket −1 is [−2^53+1, −1]. */
  bounds(bucket: number): { lo: number; hi: number } {
    if (bucket < 0) return { lo: Number.MIN_SAFE_INTEGER, hi: -1 };
    if (bucket < 8) return { lo: bucket, hi: bucket };
    const e = 3 + Math.floor((bucket - 8) / CostBuckets.SUB);
    const sub = (bucket - 8) % CostBuckets.SUB;
    const width = 2 ** (e - 2);
    const lo = (4 + sub) * width;
    return { lo, hi: lo + width - 1 };
  },
} as const;
