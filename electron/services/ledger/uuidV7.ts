import { randomFillSync } from 'node:crypto';

const pool = new Uint8Array(16 * 256);
let poolPos = pool.length;
const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * RFC 9562 UUID version 7: 48-bit Unix ms timestamp, then 74 random bits. Ledger request ids
 * use it (instead of v4) because ids that sort by time append at the right edge of the
 * `request_id` primary-key B-tree: random v4 keys scatter writes over the whole index, which at
 * a million rows dominated insert time. Still a valid, globally unique uuid.
 */
export function uuidV7(ms: number = Date.now()): string {
  if (poolPos === pool.length) {
    randomFillSync(pool);
    poolPos = 0;
  }
  const b = pool.subarray(poolPos, poolPos + 16);
  poolPos += 16;
  const t = Math.max(0, Math.floor(ms));
  const hi = Math.floor(t / 2 ** 16);
  b[0] = (hi >>> 24) & 0xff;
  b[1] = (hi >>> 16) & 0xff;
  b[2] = (hi >>> 8) & 0xff;
  b[3] = hi & 0xff;
  b[4] = (t >>> 8) & 0xff;
  b[5] = t & 0xff;
  b[6] = 0x70 | (b[6]! & 0x0f); // version 7
  b[8] = 0x80 | (b[8]! & 0x3f); // variant 10
  let s = '';
  for (let i = 0; i < 16; i++) {
    s += hex[b[i]!]!;
    if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
  }
  return s;
}
