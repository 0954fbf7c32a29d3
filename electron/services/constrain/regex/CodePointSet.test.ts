import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodePointSet, MAX_CODE_POINT } from './CodePointSet.js';

const arbSet = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 40 })), { maxLength: 6 })
  .map((rs) => CodePointSet.fromRanges(rs.map(([lo, len]) => [lo, lo + len] as const)));

describe('CodePointSet', () => {
  it('normalises ranges (sorted, merged, adjacent joined)', () => {
    expect(CodePointSet.fromRanges([[5, 9], [0, 2], [3, 4], [20, 20]]).ranges).toEqual([[0, 9], [20, 20]]);
    expect(CodePointSet.all.complement().isEmpty).toBe(true);
    expect(CodePointSet.empty.complement().ranges).toEqual([[0, MAX_CODE_POINT]]);
  });

  it('set algebra agrees with membership', () => {
    fc.assert(
      fc.property(arbSet, arbSet, fc.integer({ min: 0, max: 400 }), (a, b, c) => {
        expect(a.union(b).has(c)).toBe(a.has(c) || b.has(c));
        expect(a.intersect(b).has(c)).toBe(a.has(c) && b.has(c));
        expect(a.minus(b).has(c)).toBe(a.has(c) && !b.has(c));
        expect(a.complement().has(c)).toBe(!a.has(c));
      }),
      { numRuns: 300 },
    );
  });

  it('nth enumerates members in order', () => {
    const s = CodePointSet.fromRanges([[10, 12], [20, 21]]);
    expect(Array.from({ length: s.size }, (_, i) => s.nth(i))).toEqual([10, 11, 12, 20, 21]);
    expect(() => s.nth(5)).toThrow(RangeError);
  });
});
