import { describe, expect, it } from 'vitest';
import { compareHits } from './compareHits.js';

describe('compareHits', () => {
  it('orders by score descending, then row id ascending (bigints beyond 2^53 compared exactly)', () => {
    const big = 2n ** 60n;
    const hits = [
      { rowId: big + 1n, score: 1 },
      { rowId: 5n, score: 2 },
      { rowId: big, score: 1 },
      { rowId: 3n, score: 1 },
    ];
    expect([...hits].sort(compareHits).map((h) => h.rowId)).toEqual([5n, 3n, big, big + 1n]);
  });
  it('leaves ties without row ids to the caller (0)', () => {
    expect(compareHits({ score: 1 }, { score: 1, rowId: 1n })).toBe(0);
    expect(compareHits({ score: 1 }, { score: 2 })).toBeGreaterThan(0);
  });
});
