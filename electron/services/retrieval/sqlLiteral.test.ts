import { describe, expect, it } from 'vitest';
import { sqlLiteral, FilterValueError } from './sqlLiteral.js';
import { chunkFilterToSql } from './chunkFilterToSql.js';

describe('sqlLiteral', () => {
  it('quotes strings and doubles embedded quotes', () => {
    expect(sqlLiteral('plain')).toBe("'plain'");
    expect(sqlLiteral("o'neil")).toBe("'o''neil'");
    expect(sqlLiteral("x' OR '1'='1")).toBe("'x'' OR ''1''=''1'");
    expect(sqlLiteral('back\\slash')).toBe("'back\\slash'");
  });
  it('renders numbers, booleans and dates; rejects NUL and non-finite', () => {
    expect(sqlLiteral(42)).toBe('42');
    expect(sqlLiteral(true)).toBe('true');
    expect(sqlLiteral(new Date(5))).toBe('5');
    expect(() => sqlLiteral('a\u0000b')).toThrow(FilterValueError);
    expect(() => sqlLiteral(Number.NaN)).toThrow(FilterValueError);
  });
  it('builds filters from every field', () => {
    expect(chunkFilterToSql(undefined)).toBeUndefined();
    expect(chunkFilterToSql({})).toBeUndefined();
    expect(chunkFilterToSql({ docIds: [] })).toBe('(false)');
    expect(chunkFilterToSql({ docIds: ["a'b", 'c'], tags: ['t'], collection: 'k', createdAfter: 1, createdBefore: new Date(9) })).toBe(
      "(doc_id IN ('a''b', 'c')) AND (array_has_any(tags, make_array('t'))) AND (collection = 'k') AND (created_at >= 1) AND (created_at < 9)",
    );
  });
});
