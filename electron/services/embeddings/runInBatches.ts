import { EmbeddingCancelledError } from './EmbeddingCancelledError.js';

export interface RunInBatchesOptions<T> {
  signal?: AbortSignal;
  /**
   * When given, items are batched in descending order of this key (e.g. text length) and results are
   * put back in input order. For padded transformer batches this groups similar lengths, so a batch
   * costs about its texts' own length instead of its longest text's (sentence-transformers does the same).
   * Default: input order.
   */
  sortKey?: (item: T) => number;
}

/**
 * Runs `run` over consecutive slices of `items` (at most `batchSize` each) and returns the results in
 * input order. The signal is checked before every batch, so cancellation latency is one batch.
 */
export async function runInBatches<T, R>(
  items: readonly T[],
  batchSize: number,
  run: (batch: readonly T[]) => Promise<R[]>,
  options: RunInBatchesOptions<T> = {},
): Promise<R[]> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const { signal, sortKey } = options;
  const order = items.map((_, i) => i);
  if (sortKey !== undefined) {
    const keys = items.map(sortKey);
    order.sort((a, b) => keys[b]! - keys[a]! || a - b);
  }
  const out = new Array<R>(items.length);
  for (let start = 0; start < order.length; start += batchSize) {
    if (signal?.aborted) throw new EmbeddingCancelledError(start, items.length, { cause: signal.reason });
    const indices = order.slice(start, start + batchSize);
    const results = await run(indices.map((i) => items[i]!));
    if (results.length !== indices.length) throw new Error(`batch of ${indices.length} produced ${results.length} results`);
    indices.forEach((i, k) => (out[i] = results[k]!));
  }
  return out;
}
