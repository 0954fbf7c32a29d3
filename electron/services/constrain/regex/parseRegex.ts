import { CodePointSet } from './CodePointSet.js';
import { RegexUnsupportedError } from './RegexUnsupportedError.js';

/** A node of the regex language tree. Groups of every kind vanish into their content (captures are irrelevant). */
export type RegexNode =
  | { readonly type: 'set'; readonly set: CodePointSet }
  | { readonly type: 'seq'; readonly items: readonly RegexNode[] }
  | { readonly type: 'alt'; readonly alts: readonly RegexNode[] }
  | { readonly type: 'repeat'; readonly node: RegexNode; readonly min: number; readonly max: number };

/** One top-level alternative with its anchors (`^` before it, `$` after it). */
export interface RegexAlternative {
  readonly node: RegexNode;
  readonly anchoredStart: boolean;
  readonly anchoredEnd: boolean;
}

export interface ParsedRegex {
  readonly pattern: string;
  readonly alternatives: readonly RegexAlternative[];
}

/**
 * Largest repeat bound accepted. Each unit of a bound costs one GBNF rule (nested optional chain), so this
 * caps a single `{m,n}` at ~10k rules; larger bounds are refused rather than producing a grammar llama.cpp
 * takes seconds to load.
 */
export const MAX_REPEAT_BOUND = 10_000;

const cp = (s: string): number => s.codePointAt(0)!;
const range = (a: string, b: string): [number, number] => [cp(a), cp(b)];

/** ECMAScript `\d`. */
export const DIGIT = CodePointSet.fromRanges([range('0', '9')]);
/** ECMAScript `\w` (no `i`+`u` flags): exactly `[A-Za-z0-9_]`. */
export const WORD = CodePointSet.fromRanges([range('a', 'z'), range('A', 'Z'), range('0', '9'), range('_', '_')]);
/** ECMAScript `\s`: WhiteSpace plus LineTerminator, i.e. the Unicode Zs category and the listed controls. */
export const SPACE = CodePointSet.fromRanges([
  [0x09, 0x0d], // \t \n \v \f \r
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
]);
/** ECMAScript `.` without the `s` flag: everything but the four line terminators. */
export const DOT = CodePointSet.of(0x0a, 0x0d, 0x2028, 0x2029).complement();

const CLASS_ESCAPES: Readonly<Record<string, CodePointSet>> = {
  d: DIGIT,
  D: DIGIT.complement(),
  w: WORD,
  W: WORD.complement(),
  s: SPACE,
  S: SPACE.complement(),
};

const SINGLE_ESCAPES: Readonly<Record<string, number>> = { t: 0x09, n: 0x0a, r: 0x0d, f: 0x0c, v: 0x0b };

/**
 * Parses an ECMAScript regex source (the text between the slashes, no flags) into a language tree.
 *
 * Dialect: characters are code points (as with the `u` flag: `\u{1F600}`, surrogate pairs in the source and
 * `\uD83D\uDE00` escapes each form one character), but the Annex B leniencies that JSON Schema authors rely on
 * are kept: identity escapes of any ASCII punctuation (`\-`, `\/`, `\"`), a `{` or `}` or `]` that does not
 * form a quantifier/class is literal, and `[\d-z]` means `\d`, `-`, `z`. Refused with `RegexUnsupportedError`:
 * backreferences, lookaround, `\b`/`\B`, `\p{..}`, inline modifiers, legacy octal escapes, and `^`/`$`
 * anywhere except the start/end of a top-level alternative.
 */
export function parseRegex(pattern: string): ParsedRegex {
  return new Parser(pattern).parse();
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): ParsedRegex {
    const alternatives: RegexAlternative[] = [];
    for (;;) {
      let anchoredStart = false;
      if (this.peek() === '^') {
        anchoredStart = true;
        this.pos++;
      }
      const items = this.parseSequence(true);
      let anchoredEnd = false;
      if (this.peek() === '$') {
        anchoredEnd = true;
        this.pos++;
        const after = this.peek();
        if (after !== undefined && after !== '|') {
          throw this.fail('anchor', this.pos - 1, '`$` is only supported at the end of a top-level alternative');
        }
      }
      alternatives.push({ node: seq(items), anchoredStart, anchoredEnd });
      const c = this.peek();
      if (c === undefined) break;
      if (c === '|') {
        this.pos++;
        continue;
      }
      if (c === ')') throw this.fail('syntax', this.pos, 'unmatched `)`');
      throw this.fail('syntax', this.pos, `unexpected ${JSON.stringify(c)}`);
    }
    return { pattern: this.src, alternatives };
  }

  private fail(feature: RegexUnsupportedError['feature'], index: number, message: string): RegexUnsupportedError {
    return new RegexUnsupportedError(this.src, feature, index, message);
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  private parseDisjunction(): RegexNode {
    const alts: RegexNode[] = [seq(this.parseSequence(false))];
    while (this.peek() === '|') {
      this.pos++;
      alts.push(seq(this.parseSequence(false)));
    }
    return alts.length === 1 ? alts[0]! : { type: 'alt', alts };
  }

  /** Terms up to `|`, `)` or the end; at top level also stops before a `$` (validated by the caller). */
  private parseSequence(topLevel: boolean): RegexNode[] {
    const items: RegexNode[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') return items;
      if (c === '$') {
        if (topLevel) return items;
        throw this.fail('anchor', this.pos, '`$` is only supported at the end of a top-level alternative');
      }
      if (c === '^') throw this.fail('anchor', this.pos, '`^` is only supported at the start of a top-level alternative');
      items.push(this.parseQuantifier(this.parseAtom()));
    }
  }

  private parseQuantifier(atom: RegexNode): RegexNode {
    const c = this.peek();
    let min: number;
    let max: number;
    const qStart = this.pos;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const braces = this.readBraces();
      if (braces === undefined) return atom;
      [min, max] = braces;
    } else return atom;
    if (c !== '{') this.pos++;
    if (this.peek() === '?') this.pos++; // lazy: the language is the same
    if (max < min) throw this.fail('syntax', qStart, `numbers out of order in {${min},${max}} quantifier`);
    if (min > MAX_REPEAT_BOUND || (max !== Infinity && max > MAX_REPEAT_BOUND)) {
      throw this.fail('syntax', qStart, `repeat bound above ${MAX_REPEAT_BOUND} is refused (grammar would be too large)`);
    }
    const next = this.peek();
    if (next === '*' || next === '+' || next === '?' || (next === '{' && this.readBraces(true) !== undefined)) {
      throw this.fail('syntax', this.pos, 'nothing to repeat');
    }
    return { type: 'repeat', node: atom, min, max };
  }

  /** Reads `{m}`, `{m,}`, `{m,n}` at pos; undefined (pos unchanged) when the brace is a literal `{`. */
  private readBraces(peekOnly = false): [number, number] | undefined {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
    if (m === null) return undefined;
    if (!peekOnly) this.pos += m[0].length;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    return [min, max];
  }

  private parseAtom(): RegexNode {
    const start = this.pos;
    const c = this.src[this.pos]!;
    switch (c) {
      case '(':
        return this.parseGroup();
      case '[':
        return { type: 'set', set: this.parseClass() };
      case '.':
        this.pos++;
        return { type: 'set', set: DOT };
      case '\\':
        return this.parseAtomEscape();
      case '*':
      case '+':
      case '?':
        throw this.fail('syntax', start, 'nothing to repeat');
      case '{':
        if (this.readBraces(true) !== undefined) throw this.fail('syntax', start, 'nothing to repeat');
        this.pos++;
        return char(cp('{'));
      default: {
        const code = this.src.codePointAt(this.pos)!;
        this.pos += code > 0xffff ? 2 : 1;
        return char(code);
      }
    }
  }

  private parseGroup(): RegexNode {
    const start = this.pos;
    this.pos++; // (
    if (this.peek() === '?') {
      const rest = this.src.slice(this.pos + 1);
      if (rest.startsWith(':')) this.pos += 2;
      else if (rest.startsWith('=') || rest.startsWith('!')) throw this.fail('lookahead', start, 'lookahead is not supported');
      else if (rest.startsWith('<=') || rest.startsWith('<!')) throw this.fail('lookbehind', start, 'lookbehind is not supported');
      else if (rest.startsWith('<')) {
        const m = /^<([A-Za-z_$][\w$]*)>/.exec(rest);
        if (m === null) throw this.fail('syntax', start, 'invalid group name');
        this.pos += 1 + m[0].length;
      } else if (/^[-imsx]/.test(rest)) throw this.fail('modifiers', start, 'inline modifiers are not supported');
      else throw this.fail('syntax', start, 'invalid group');
    }
    const inner = this.parseDisjunction();
    if (this.peek() !== ')') throw this.fail('syntax', start, 'unterminated group');
    this.pos++;
    return inner;
  }

  private parseAtomEscape(): RegexNode {
    const start = this.pos;
    const e = this.src[this.pos + 1];
    if (e === undefined) throw this.fail('syntax', start, '`\\` at end of pattern');
    if (e === 'b' || e === 'B') throw this.fail('word-boundary', start, `\\${e} (word boundary) is not supported`);
    if (/[1-9]/.test(e)) throw this.fail('backreference', start, 'backreferences are not supported');
    if (e === 'k' && this.src[this.pos + 2] === '<') throw this.fail('backreference', start, 'named backreferences are not supported');
    return { type: 'set', set: this.parseEscapeSet(false) };
  }

  /** Parses `\…` at pos (inside or outside a class) into the set it denotes; advances past it. */
  private parseEscapeSet(inClass: boolean): CodePointSet {
    const start = this.pos;
    const e = this.src[this.pos + 1];
    if (e === undefined) throw this.fail('syntax', start, '`\\` at end of pattern');
    const classSet = CLASS_ESCAPES[e];
    if (classSet !== undefined) {
      this.pos += 2;
      return classSet;
    }
    if (e === 'p' || e === 'P') throw this.fail('unicode-property', start, `\\${e}{…} unicode property escapes are not supported`);
    return CodePointSet.of(this.parseCharEscape(inClass));
  }

  /** A single-character escape at pos (`\n`, `\x41`, `\u{1F600}`, `\cJ`, `\-`, …); advances past it. */
  private parseCharEscape(inClass: boolean): number {
    const start = this.pos;
    const e = this.src[this.pos + 1]!;
    const single = SINGLE_ESCAPES[e];
    if (single !== undefined) {
      this.pos += 2;
      return single;
    }
    if (inClass && e === 'b') {
      this.pos += 2;
      return 0x08;
    }
    if (e === '0') {
      if (/[0-9]/.test(this.src[this.pos + 2] ?? '')) throw this.fail('octal-escape', start, 'legacy octal escapes are not supported');
      this.pos += 2;
      return 0;
    }
    if (/[1-9]/.test(e)) {
      throw this.fail(inClass ? 'octal-escape' : 'backreference', start, inClass ? 'legacy octal escapes are not supported' : 'backreferences are not supported');
    }
    if (e === 'c') {
      const letter = this.src[this.pos + 2];
      if (letter === undefined || !/[A-Za-z]/.test(letter)) throw this.fail('syntax', start, 'invalid \\c escape');
      this.pos += 3;
      return cp(letter) % 32;
    }
    if (e === 'x') {
      const m = /^[0-9A-Fa-f]{2}/.exec(this.src.slice(this.pos + 2));
      if (m === null) throw this.fail('syntax', start, 'invalid \\x escape');
      this.pos += 4;
      return parseInt(m[0], 16);
    }
    if (e === 'u') {
      const rest = this.src.slice(this.pos + 2);
      const braced = /^\{([0-9A-Fa-f]{1,6})\}/.exec(rest);
      if (braced !== null) {
        const v = parseInt(braced[1]!, 16);
        if (v > 0x10ffff) throw this.fail('syntax', start, 'code point out of range in \\u{…}');
        this.pos += 2 + braced[0].length;
        return v;
      }
      const m = /^[0-9A-Fa-f]{4}/.exec(rest);
      if (m === null) throw this.fail('syntax', start, 'invalid \\u escape');
      this.pos += 6;
      const v = parseInt(m[0], 16);
      if (v >= 0xd800 && v <= 0xdbff) {
        const low = /^\\u(d[c-f][0-9a-f]{2})/i.exec(this.src.slice(this.pos));
        if (low !== null) {
          this.pos += 6;
          return 0x10000 + ((v - 0xd800) << 10) + (parseInt(low[1]!, 16) - 0xdc00);
        }
      }
      return v;
    }
    if (/[A-Za-z0-9]/.test(e)) throw this.fail('syntax', start, `unknown escape \\${e}`);
    const code = this.src.codePointAt(this.pos + 1)!;
    this.pos += 1 + (code > 0xffff ? 2 : 1);
    return code; // identity escape: \. \/ \- \\ \" …
  }

  private parseClass(): CodePointSet {
    const start = this.pos;
    this.pos++; // [
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    let set = CodePointSet.empty;
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw this.fail('syntax', start, 'unterminated character class');
      if (c === ']') {
        this.pos++;
        break;
      }
      const lo = this.parseClassAtom();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        const dash = this.pos;
        this.pos++;
        const hi = this.parseClassAtom();
        if (lo.single === undefined || hi.single === undefined) {
          // Annex B: `[\d-z]` is `\d`, `-`, `z`
          set = set.union(lo).union(CodePointSet.of(0x2d)).union(hi);
          continue;
        }
        if (lo.single > hi.single) throw this.fail('syntax', dash, 'range out of order in character class');
        set = set.union(CodePointSet.fromRanges([[lo.single, hi.single]]));
      } else set = set.union(lo);
    }
    return negated ? set.complement() : set;
  }

  private parseClassAtom(): CodePointSet {
    const c = this.src[this.pos]!;
    if (c === '\\') {
      const e = this.src[this.pos + 1];
      if (e !== undefined && CLASS_ESCAPES[e] !== undefined) return this.parseEscapeSet(true);
      if (e === 'p' || e === 'P') return this.parseEscapeSet(true);
      if (e === undefined) throw this.fail('syntax', this.pos, '`\\` at end of pattern');
      return CodePointSet.of(this.parseCharEscape(true));
    }
    const code = this.src.codePointAt(this.pos)!;
    this.pos += code > 0xffff ? 2 : 1;
    return CodePointSet.of(code);
  }
}

function char(code: number): RegexNode {
  return { type: 'set', set: CodePointSet.of(code) };
}

function seq(items: RegexNode[]): RegexNode {
  return items.length === 1 ? items[0]! : { type: 'seq', items };
}
