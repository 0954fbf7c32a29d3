/**
 * Exact GBNF for the decimal integers in `[min, max]` (either bound may be open), in JSON form:
 * optional `-`, no leading zeros, no `-0`, no exponent. Uses digit-range decomposition: each
 * length band splits at the first digit where the bounds differ, so the alternatives are disjoint
 * (unambiguous: llama.cpp keeps one parse stack per live alternative). Size is O(digits²).
 */
export function integerRangeGbnf(min: bigint | null, max: bigint | null): string {
  if (min !== null && max !== null && min > max) throw new RangeError('empty integer range');
  const parts: string[] = [];
  // negative part: -m for m in [max(1, -max), -min]
  if (min === null || min < 0n) {
    const lo = max === null || max >= 0n ? 1n : -max;
    const hi = min === null ? null : -min;
    if (hi === null || lo <= hi) parts.push(`"-" ${nonNegativeRange(lo, hi)}`);
  }
  if (max === null || max >= 0n) {
    const lo = min === null || min < 0n ? 0n : min;
    parts.push(nonNegativeRange(lo, max));
  }
  return parts.length === 1 ? parts[0]! : `( ${parts.join(' | ')} )`;
}

/** Non-negative integers in [lo, hi] (hi null = unbounded), canonical decimal. */
export function nonNegativeRange(lo: bigint, hi: bigint | null): string {
  const alts: string[] = [];
  const loS = lo.toString();
  if (hi === null) {
    if (lo === 0n) return '( "0" | [1-9] [0-9]* )';
    alts.push(geq(loS));
    alts.push(`[1-9] [0-9]{${loS.length},}`);
    return wrap(alts);
  }
  const hiS = hi.toString();
  for (let len = loS.length; len <= hiS.length; len++) {
    const bandLo = len === loS.length ? loS : len === 1 ? '0' : '1' + '0'.repeat(len - 1);
    const bandHi = len === hiS.length ? hiS : '9'.repeat(len);
    alts.push(sameLengthRange(bandLo, bandHi));
  }
  return wrap(alts);
}

function wrap(alts: string[]): string {
  return alts.length === 1 ? alts[0]! : `( ${alts.join(' | ')} )`;
}

function digitClass(a: number, b: number): string {
  if (a === b) return `"${a}"`;
  return `[${a}-${b}]`;
}

function anyDigits(n: number): string {
  if (n === 0) return '';
  if (n === 1) return '[0-9]';
  return `[0-9]{${n}}`;
}

function seq(...xs: string[]): string {
  return xs.filter((x) => x !== '').join(' ');
}

/** Strings of length |a| with a <= s <= b (a, b same length, a <= b). */
function sameLengthRange(a: string, b: string): string {
  if (a === b) return `"${a}"`;
  let i = 0;
  while (a[i] === b[i]) i++;
  const prefix = a.slice(0, i);
  const da = Number(a[i]);
  const db = Number(b[i]);
  const restLen = a.length - i - 1;
  const alts: string[] = [];
  if (restLen === 0) {
    alts.push(digitClass(da, db));
  } else {
    alts.push(seq(`"${da}"`, geq(a.slice(i + 1))));
    if (db - da >= 2) alts.push(seq(digitClass(da + 1, db - 1), anyDigits(restLen)));
    alts.push(seq(`"${db}"`, leq(b.slice(i + 1))));
  }
  const body = wrap(alts);
  return prefix ? seq(`"${prefix}"`, body) : body;
}

/** Strings s of the same length as x with s >= x (digit strings, leading zeros allowed inside). */
function geq(x: string): string {
  if (x.length === 0) return '';
  const d = Number(x[0]);
  const rest = x.slice(1);
  const alts: string[] = [];
  if (rest.length === 0) return digitClass(d, 9);
  if (/^0*$/.test(rest)) return seq(digitClass(d, 9), anyDigits(rest.length));
  alts.push(seq(`"${d}"`, geq(rest)));
  if (d < 9) alts.push(seq(digitClass(d + 1, 9), anyDigits(rest.length)));
  return wrap(alts);
}

/** Strings s of the same length as x with s <= x. */
function leq(x: string): string {
  if (x.length === 0) return '';
  const d = Number(x[0]);
  const rest = x.slice(1);
  if (rest.length === 0) return digitClass(0, d);
  if (/^9*$/.test(rest)) return seq(digitClass(0, d), anyDigits(rest.length));
  const alts: string[] = [];
  if (d > 0) alts.push(seq(digitClass(0, d - 1), anyDigits(rest.length)));
  alts.push(seq(`"${d}"`, leq(rest)));
  return wrap(alts);
}
