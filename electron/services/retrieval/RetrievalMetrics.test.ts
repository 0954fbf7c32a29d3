import { describe, expect, it } from 'vitest';
import { RetrievalMetrics as M } from './RetrievalMetrics.js';

describe('RetrievalMetrics (hand-computed values)', () => {
  const j = new Map([['a', 3], ['b', 2], ['c', 1], ['z', 0]]);

  it('nDCG@k with linear gains, trec_eval style', () => {
    // ranking: x, a, z, c  → DCG = 3/log2(3) + 1/log2(5) = 1.892789 + 0.430677 = 2.323466
    // ideal: a, b, c → 3/1 + 2/log2(3) + 1/2 = 3 + 1.261860 + 0.5 = 4.761860
    expect(M.ndcgAtK(['x', 'a', 'z', 'c'], j, 10)).toBeCloseTo(2.323466 / 4.76186, 5);
    expect(M.ndcgAtK(['a', 'b', 'c'], j, 10)).toBeCloseTo(1, 10);
    // cut at 1: DCG@1 = 0 (x irrelevant)
    expect(M.ndcgAtK(['x', 'a'], j, 1)).toBe(0);
    // cut at 2 with 'b','a': DCG = 2 + 3/log2(3) = 3.892789; IDCG@2 = 3 + 2/log2(3) = 4.261860
    expect(M.ndcgAtK(['b', 'a'], j, 2)).toBeCloseTo(3.892789 / 4.26186, 5);
    expect(M.ndcgAtK(['a'], new Map([['a', 0]]), 10)).toBe(0);
  });

  it('Recall@k and MRR@k', () => {
    expect(M.recallAtK(['x', 'a', 'z', 'c'], j, 10)).toBeCloseTo(2 / 3, 10);
    expect(M.recallAtK(['x', 'a', 'z', 'c'], j, 2)).toBeCloseTo(1 / 3, 10);
    expect(M.mrrAtK(['x', 'z', 'c'], j, 10)).toBeCloseTo(1 / 3, 10);
    expect(M.mrrAtK(['x', 'z', 'c'], j, 2)).toBe(0);
    expect(M.mrrAtK(['b'], j, 10)).toBe(1);
  });

  it('percentiles by nearest rank', () => {
    const v = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(M.percentile(v, 50)).toBe(5);
    expect(M.percentile(v, 95)).toBe(10);
    expect(M.percentile(v, 0)).toBe(1);
    expect(M.percentile([], 50)).toBeNaN();
  });
});
