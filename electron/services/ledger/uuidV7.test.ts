import { describe, expect, it } from 'vitest';
import { uuidV7 } from './uuidV7.js';

describe('uuidV7', () => {
  it('is a version-7 RFC 9562 uuid carrying the millisecond timestamp', () => {
    const ms = Date.UTC(2026, 10, 26, 23, 59, 59, 123);
    const id = uuidV7(ms);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(ms);
  });

  it('sorts by time and does not repeat', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => uuidV7(1_700_000_000_000 + i * 7));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 20000 }, () => uuidV7(1)))).toHaveProperty('size', 20000);
  });
});
