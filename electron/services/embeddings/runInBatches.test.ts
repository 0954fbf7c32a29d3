import { describe, expect, it } from 'vitest';
import { EmbeddingCancelledError } from './EmbeddingCancelledError.js';
import { runInBatches } from './runInBatches.js';

describe('runInBatches', () => {
  it('splits into batches of at most batchSize and keeps input order', async () => {
    const seen: number[][] = [];
    const out = await runInBatches([1, 2, 3, 4, 5], 2, async (b) => {
      seen.push([...b]);
      return b.map((x) => x * 10);
    });
    expect(seen).toEqual([[1, 2], [3, 4], [5]]);
    expect(out).toEqual([10, 20, 30, 40, 50]);
  });

  it('returns [] for no items without calling run', async () => {
    let calls = 0;
    expect(await runInBatches([], 4, async (b) => (calls++, [...b]))).toEqual([]);
    expect(calls).toBe(0);
  });

  it('stops at the next batch boundary when the signal aborts, reporting progress', async () => {
    const ac = new AbortController();
    const err = await runInBatches([1, 2, 3, 4, 5, 6], 2, async (b) => {
      ac.abort();
      return [...b];
    }, { signal: ac.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbeddingCancelledError);
    expect((err as EmbeddingCancelledError).code).toBe('CANCELLED');
    expect((err as EmbeddingCancelledError).details).toEqual({ completed: 2, total: 6 });
  });

  it('with sortKey, batches longest-first but returns results in input order', async () => {
    const texts = ['bb', 'a', 'dddd', 'ccc', 'eeeee'];
    const seen: string[][] = [];
    const out = await runInBatches(texts, 2, async (b) => (seen.push([...b]), b.map((t) => t.toUpperCase())), { sortKey: (t) => t.length });
    expect(seen).toEqual([['eeeee', 'dddd'], ['ccc', 'bb'], ['a']]);
    expect(out).toEqual(['BB', 'A', 'DDDD', 'CCC', 'EEEEE']);
  });

  it('rejects a run that returns the wrong number of results, and a bad batch size', async () => {
    await expect(runInBatches([1, 2], 2, async () => [1])).rejects.toThrow(/2 produced 1/);
    await expect(runInBatches([1], 0, async (b) => [...b])).rejects.toThrow(RangeError);
  });
});
