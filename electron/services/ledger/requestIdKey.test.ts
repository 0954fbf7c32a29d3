import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CANONICAL_UUID_GLOB, requestIdKey, requestIdSql } from './requestIdKey.js';
import { uuidV7 } from './uuidV7.js';

const uuid = fc.uuid().map((u) => u.toLowerCase());

describe('requestIdKey / requestIdSql', () => {
  const db = new Database(':memory:');
  const spell = db.prepare(`WITH v (id) AS (SELECT ?) SELECT ${requestIdSql('id')} FROM v`).pluck();

  it('stores a lowercase canonical uuid as its 16 bytes and spells it back exactly', () => {
    const id = '0190f3a2-7b1c-7def-8a9b-0123456789ab';
    const key = requestIdKey(id);
    expect(key).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(key as Uint8Array).toString('hex')).toBe('0190f3a27b1c7def8a9b0123456789ab');
    expect(spell.get(key)).toBe(id);
    fc.assert(fc.property(uuid, (u) => spell.get(requestIdKey(u)) === u), { seed: 7, numRuns: 300 });
    for (let i = 0; i < 50; i++) {
      const v7 = uuidV7();
      expect(spell.get(requestIdKey(v7))).toBe(v7);
    }
  });

  it('keeps every other string as text (so it is never changed)', () => {
    for (const id of ['r1', '', '0190F3A2-7B1C-7DEF-8A9B-0123456789AB', '0190f3a2-7b1c-7def-8a9b-0123456789a', '0190f3a2-7b1c-7def-8a9b-0123456789abc',
      '0190f3a27b1c-7def-8a9b-0123456789ab0', '0190f3a2-7b1c-7def-8a9b-0123456789ag', '0190f3a2_7b1c-7def-8a9b-0123456789ab',
      '0190f3a2-7b1c-7def-8a9b-0123456789a\u0101', '0190f3a2-7b1c-7def-8a9b-0123456789a\u0130', '\u0161190f3a2-7b1c-7def-8a9b-0123456789ab'.slice(0, 36)]) {
      expect(requestIdKey(id)).toBe(id);
      expect(spell.get(requestIdKey(id))).toBe(id);
    }
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => spell.get(requestIdKey(s)) === s), { seed: 8, numRuns: 500 });
    expect(spell.get(null)).toBeNull();
  });

  it('converts exactly the strings the migration GLOB matches', () => {
    const glob = db.prepare('SELECT ? GLOB ?').pluck();
    const samples = fc.sample(fc.oneof(uuid, fc.uuid(), fc.string({ minLength: 36, maxLength: 36 }), fc.string({ unit: fc.constantFrom(...'0123456789abcdef-'), minLength: 36, maxLength: 36 })), { seed: 9, numRuns: 600 });
    for (const s of samples) expect(glob.get(s, CANONICAL_UUID_GLOB) === 1).toBe(requestIdKey(s) instanceof Uint8Array);
  });

  it('fills the buffer it is given instead of allocating', () => {
    const into = new Uint8Array(16);
    expect(requestIdKey('ffffffff-0000-7000-8000-000000000001', into)).toBe(into);
    expect(into[0]).toBe(0xff);
    expect(into[15]).toBe(1);
  });

  it('sorts blobs like the strings they spell (ORDER BY request_id is unchanged)', () => {
    const ids = fc.sample(uuid, { seed: 10, numRuns: 400 });
    const t = new Database(':memory:');
    t.exec('CREATE TABLE k (id PRIMARY KEY)');
    const ins = t.prepare('INSERT INTO k VALUES (?)');
    for (const id of ids) ins.run(requestIdKey(id));
    const sorted = t.prepare(`SELECT ${requestIdSql('id')} FROM k ORDER BY id`).pluck().all();
    expect(sorted).toEqual([...ids].sort());
    t.close();
  });
});
