/** The largest Unicode code point. GBNF and our regex subset both work on code points, never UTF-16 units. */
export const MAX_CODE_POINT = 0x10ffff;

/** An inclusive code-point range `[lo, hi]`. */
export type CodePointRange = readonly [lo: number, hi: number];

/**
 * An immutable set of Unicode code points kept as sorted, disjoint, non-adjacent inclusive ranges.
 * Regex classes (`[a-z\d]`, `\S`, `.`) are folded into one of these before GBNF emission, so
 * negation and class escapes inside classes (`[^\S\n]`) are exact set algebra rather than text splicing.
 */
export class CodePointSet {
  readonly ranges: readonly CodePointRange[];

  private constructor(ranges: readonly CodePointRange[]) {
    this.ranges = ranges;
  }

  static readonly empty = new CodePointSet([]);
  static readonly all = new CodePointSet([[0, MAX_CODE_POINT]]);

  static of(...codePoints: number[]): CodePointSet {
    return CodePointSet.fromRanges(codePoints.map((c) => [c, c] as const));
  }

  /** Builds a normalised set from arbitrary (unsorted, overlapping) ranges. */
  static fromRanges(ranges: Iterable<CodePointRange>): CodePointSet {
    const sorted = [...ranges].filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0]);
    const out: [number, number][] = [];
    for (const [lo, hi] of sorted) {
      const last = out[out.length - 1];
      if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
      else out.push([lo, hi]);
    }
    return new CodePointSet(out);
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  /** Number of code points in the set. */
  get size(): number {
    let n = 0;
    for (const [lo, hi] of this.ranges) n += hi - lo + 1;
    return n;
  }

  /** The only member, when the set has exactly one; otherwise undefined. */
  get single(): number | undefined {
    const only = this.ranges.length === 1 ? this.ranges[0] : undefined;
    return only !== undefined && only[0] === only[1] ? only[0] : undefined;
  }

  has(codePoint: number): boolean {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.ranges[mid]!;
      if (codePoint < r[0]) hi = mid - 1;
      else if (codePoint > r[1]) lo = mid + 1;
      else return true;
    }
    return false;
  }

  union(other: CodePointSet): CodePointSet {
    return CodePointSet.fromRanges([...this.ranges, ...other.ranges]);
  }

  complement(): CodePointSet {
    const out: [number, number][] = [];
    let next = 0;
    for (const [lo, hi] of this.ranges) {
      if (lo > next) out.push([next, lo - 1]);
      next = hi + 1;
    }
    if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
    return new CodePointSet(out);
  }

  intersect(other: CodePointSet): CodePointSet {
    return this.complement().union(other.complement()).complement();
  }

  minus(other: CodePointSet): CodePointSet {
    return this.intersect(other.complement());
  }

  /** The i-th member in ascending order (0-based), for samplers. */
  nth(i: number): number {
    let k = i;
    for (const [lo, hi] of this.ranges) {
      const n = hi - lo + 1;
      if (k < n) return lo + k;
      k -= n;
    }
    throw new RangeError(`index ${i} outside a set of ${this.size} code points`);
  }
}
