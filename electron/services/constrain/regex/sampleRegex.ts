import { CodePointSet } from './CodePointSet.js';
import { parseRegex, type ParsedRegex, type RegexNode } from './parseRegex.js';

export interface SampleRegexOptions {
  /** Caps `*`/`+` at this many iterations above the minimum (finite `{m,n}` also draw from their whole range). Default 4. */
  maxExtraRepeats?: number;
  /** Sample for search semantics: random any-character prefix/suffix on unanchored sides. Default false. */
  search?: boolean;
}

const SURROGATES = CodePointSet.fromRanges([[0xd800, 0xdfff]]);

/**
 * Draws one string from the regex language, to get positive examples for property tests and benches.
 * `random` returns floats in [0, 1) (e.g. a seeded PRNG). Lone surrogates are never produced (they cannot
 * survive UTF-8), so a set made only of surrogates, or an empty class, yields undefined: no sample exists.
 * Within a set it picks a range uniformly, then a member uniformly, so small ranges like `[_\-]` in a
 * large class are still hit.
 */
export function sampleRegex(pattern: string | ParsedRegex, random: () => number, options: SampleRegexOptions = {}): string | undefined {
  const parsed = typeof pattern === 'string' ? parseRegex(pattern) : pattern;
  const extra = options.maxExtraRepeats ?? 4;
  const pick = (n: number): number => Math.min(n - 1, Math.floor(random() * n));
  const anyString = (): string => {
    const n = pick(4);
    let s = '';
    for (let i = 0; i < n; i++) s += drawChar(CodePointSet.all) ?? '';
    return s;
  };
  const drawChar = (set: CodePointSet): string | undefined => {
    const usable = set.minus(SURROGATES);
    if (usable.isEmpty) return undefined;
    const [lo, hi] = usable.ranges[pick(usable.ranges.length)]!;
    return String.fromCodePoint(lo + pick(hi - lo + 1));
  };
  const draw = (node: RegexNode): string | undefined => {
    switch (node.type) {
      case 'set':
        return drawChar(node.set);
      case 'seq': {
        let s = '';
        for (const item of node.items) {
          const part = draw(item);
          if (part === undefined) return undefined;
          s += part;
        }
        return s;
      }
      case 'alt': {
        // try alternatives starting at a random one, so an empty-language branch does not doom the sample
        const start = pick(node.alts.length);
        for (let i = 0; i < node.alts.length; i++) {
          const s = draw(node.alts[(start + i) % node.alts.length]!);
          if (s !== undefined) return s;
        }
        return undefined;
      }
      case 'repeat': {
        // half the time anywhere in a finite range (reaches big bounds like {0,200}), else near the minimum
        const wide = node.max !== Infinity && random() < 0.5;
        const cap = wide ? node.max : Math.min(node.max, node.min + extra);
        const count = node.min + pick(cap - node.min + 1);
        let s = '';
        for (let i = 0; i < count; i++) {
          const part = draw(node.node);
          if (part === undefined) return i >= node.min ? s : undefined;
          s += part;
        }
        return s;
      }
    }
  };
  const alts = parsed.alternatives;
  const start = pick(alts.length);
  for (let i = 0; i < alts.length; i++) {
    const alt = alts[(start + i) % alts.length]!;
    const body = draw(alt.node);
    if (body === undefined) continue;
    if (options.search !== true) return body;
    return (alt.anchoredStart ? '' : anyString()) + body + (alt.anchoredEnd ? '' : anyString());
  }
  return undefined;
}
