import { describe, expect, it } from 'vitest';
import { l2Normalize } from './l2Normalize.js';

describe('l2Normalize', () => {
  it('scales to unit length without changing direction', () => {
    const v = l2Normalize([3, 4]);
    expect(Array.from(v)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
  });
  it('keeps a zero vector zero (no NaN)', () => {
    expect(Array.from(l2Normalize([0, 0, 0]))).toEqual([0, 0, 0]);
  });
});
