import { AppError } from '../../../../shared/errors.js';
import { CodePointSet } from './CodePointSet.js';
import { parseRegex, type RegexNode } from './parseRegex.js';

export interface RegexToGbnfOptions {
  /**
   * 'raw' (default): the generated text IS the match (regex-constrained generation).
   * 'json-string': the text is the body of a JSON string literal (between the quotes). Every character is
   * accepted only in its canonical `JSON.stringify` form: `"`→`\"`, `\`→`\\`, U+0008/0009/000A/000C/000D →
   * `\b \t \n \f \r`, other U+0000–U+001F → `\u00xx` (lowercase hex), everything else raw (including `/`,
   * U+007F and U+2028). Trade-off: exact and unambiguous, but a model that writes `\u0041` for `A` or `\/`
   * is cut off; the set of decoded strings still equals the regex language.
   */
  context?: 'raw' | 'json-string';
  /**
   * JSON Schema `pattern` semantics: unanchored = search (may match anywhere). true → an implicit
   * "any code point"* (not `.`*, which would exclude line terminators) at each unanchored start/end of a
   * top-level alternative. Default false (whole-match: `^`/`$` are no-ops).
   */
  search?: boolean;
  /**
   * Prefix for the extra rule names created, to keep names unique when many patterns share one grammar.
   * Must match `[A-Za-z0-9-]*` (GBNF rule-name characters). Default `re`.
   */
  rulePrefix?: string;
}

export interface GbnfFragment {
  /** a GBNF expression (no rule name) matching exactly the language */
  expr: string;
  /** extra named rules: name → body */
  rules: Map<string, string>;
}

/**
 * Compiles an ECMAScript regex (see `parseRegex` for the accepted dialect) to a GBNF fragment whose language
 * is exactly the regex language over code points: with `search: false`, the strings s for which
 * `new RegExp('^(?:' + pattern + ')$', 'u').test(s)`; with `search: true`, those for which
 * `new RegExp(pattern, 'u').test(s)`.
 *
 * Size is linear in the pattern and in repeat bounds: `X{m,n}` becomes m copies of X (named as a rule when
 * long) plus a chain of n−m nested optional rules `c1 ::= X?`, `ck ::= (X c(k-1))?`. Star/plus bodies that can
 * match the empty string are rewritten to their non-empty part first, because llama.cpp loops or reports left
 * recursion on `(x?)*`-shaped rules.
 *
 * @throws RegexUnsupportedError (code REGEX_UNSUPPORTED) for backreferences, lookaround, `\b`, inner anchors,
 *   `\p{…}`, inline modifiers and syntax errors.
 */
export function regexToGbnf(pattern: string, options: RegexToGbnfOptions = {}): GbnfFragment {
  const prefix = options.rulePrefix ?? 're';
  if (!/^[A-Za-z0-9-]*$/.test(prefix)) {
    throw new AppError('INVALID_INPUT', `rulePrefix ${JSON.stringify(prefix)} may only contain [A-Za-z0-9-]`, {
      details: { rulePrefix: prefix },
    });
  }
  const parsed = parseRegex(pattern);
  const emitter = new Emitter(prefix === '' ? 're' : prefix, options.context ?? 'raw');
  const alts = parsed.alternatives.map((alt) => {
    const parts: string[] = [];
    if (options.search === true && !alt.anchoredStart) parts.push(emitter.anyStar());
    const body = emitter.emit(alt.node);
    if (body.text !== '""' || parts.length === 0) parts.push(body.text);
    if (options.search === true && !alt.anchoredEnd) parts.push(emitter.anyStar());
    return parts.join(' ');
  });
  const unique = [...new Set(alts)];
  const expr = unique.length === 1 ? unique[0]! : `(${unique.join(' | ')})`;
  return { expr, rules: emitter.rules };
}

/** An emitted expression; `atomic` means it can take a postfix operator without parentheses. */
interface Emitted {
  text: string;
  atomic: boolean;
}

/** Never matches anything: llama.cpp accepts only code points ≤ U+10FFFF. */
const NEVER: Emitted = { text: '[^\\x00-\\U0010FFFF]', atomic: true };
const EPSILON: Emitted = { text: '""', atomic: true };

/** Rules longer than this are named when they would be repeated. */
const NAME_THRESHOLD = 24;

const JSON_SHORT_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x22, '\\"'],
  [0x5c, '\\\\'],
  [0x08, '\\b'],
  [0x0c, '\\f'],
  [0x0a, '\\n'],
  [0x0d, '\\r'],
  [0x09, '\\t'],
]);
/** Code points that JSON cannot carry raw inside a string: `"`, `\` and the C0 controls. */
const JSON_SPECIAL = CodePointSet.fromRanges([
  [0x00, 0x1f],
  [0x22, 0x22],
  [0x5c, 0x5c],
]);

/** The canonical (`JSON.stringify`) encoding of one code point inside a JSON string. */
function jsonEncode(c: number): string {
  const short = JSON_SHORT_ESCAPES.get(c);
  if (short !== undefined) return short;
  if (c < 0x20) return '\\u00' + c.toString(16).padStart(2, '0');
  return String.fromCodePoint(c);
}

function hexEscape(c: number): string {
  if (c <= 0xff) return '\\x' + c.toString(16).toUpperCase().padStart(2, '0');
  if (c <= 0xffff) return '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
  return '\\U' + c.toString(16).toUpperCase().padStart(8, '0');
}

/** GBNF `"…"` literal for a string of code points; everything outside printable ASCII is hex-escaped. */
function gbnfLiteral(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c >= 0x20 && c <= 0x7e) out += ch;
    else out += hexEscape(c);
  }
  return out + '"';
}

/**
 * One code point inside GBNF `[…]`. llama.cpp's class parser only knows the escapes `\\ \] \[ \" \x \u \U
 * \t \r \n`, treats `-` as a range operator and `^` as negation, so only [A-Za-z0-9] and a few safe
 * punctuation marks are written raw.
 */
function classChar(c: number): string {
  const ch = String.fromCodePoint(c);
  return /^[A-Za-z0-9 _.,:;!?@#$%&*+=<>/|~'`(){}]$/.test(ch) ? ch : hexEscape(c);
}

function classBody(set: CodePointSet): string {
  return set.ranges
    .map(([lo, hi]) => (lo === hi ? classChar(lo) : hi === lo + 1 ? classChar(lo) + classChar(hi) : `${classChar(lo)}-${classChar(hi)}`))
    .join('');
}

/**
 * `[S]` or `[^complement(S)]`: the negated form (shorter for negated regex classes like `[^"\\]`, `\D`, `\W`)
 * only when every excluded code point is ASCII. Reason (measured, see TokenWalkChecker.model.test.ts):
 * llama.cpp's token-level check of a PARTIAL UTF-8 sequence (a token ending mid-character, e.g. byte-fallback
 * tokens) rejects a `[^…]` class as soon as ANY excluded code point shares the partial prefix's range, so
 * `[^\u2028]` would forbid `€` (E2 82 AC) when generated byte by byte. Positive classes over-approximate on
 * partial sequences and are exact on completion, so non-ASCII exclusions are written positively.
 */
function gbnfClass(set: CodePointSet): string {
  const pos = `[${classBody(set)}]`;
  const excluded = set.complement();
  if (excluded.isEmpty) return pos; // never emit an empty `[^]`
  if (excluded.ranges[excluded.ranges.length - 1]![1] >= 0x80) return pos;
  const neg = `[^${classBody(excluded)}]`;
  return neg.length <= pos.length ? neg : pos;
}

function nullable(n: RegexNode): boolean {
  switch (n.type) {
    case 'set':
      return false;
    case 'seq':
      return n.items.every(nullable);
    case 'alt':
      return n.alts.some(nullable);
    case 'repeat':
      return n.min === 0 || nullable(n.node);
  }
}

function mkSeq(items: RegexNode[]): RegexNode {
  return items.length === 1 ? items[0]! : { type: 'seq', items };
}

/** L(n) minus the empty string, or undefined when that is the empty language. */
function nonEmpty(n: RegexNode): RegexNode | undefined {
  switch (n.type) {
    case 'set':
      return n.set.isEmpty ? undefined : n;
    case 'seq': {
      const [first, ...rest] = n.items;
      if (first === undefined) return undefined;
      if (rest.length === 0) return nonEmpty(first);
      if (!nullable(first)) return n;
      // first is nullable: (first\ε) rest  |  rest\ε
      const alts: RegexNode[] = [];
      const neFirst = nonEmpty(first);
      if (neFirst !== undefined) alts.push(mkSeq([neFirst, ...rest]));
      const neRest = nonEmpty(mkSeq(rest));
      if (neRest !== undefined) alts.push(neRest);
      return alts.length === 0 ? undefined : alts.length === 1 ? alts[0] : { type: 'alt', alts };
    }
    case 'alt': {
      const alts = n.alts.map(nonEmpty).filter((a): a is RegexNode => a !== undefined);
      return alts.length === 0 ? undefined : alts.length === 1 ? alts[0] : { type: 'alt', alts };
    }
    case 'repeat': {
      if (n.max === 0) return undefined;
      const body = nullable(n.node) ? nonEmpty(n.node) : n.node;
      if (body === undefined) return undefined;
      if (n.min > 0 && !nullable(n.node)) return n;
      return mkSeq([body, { type: 'repeat', node: body, min: 0, max: n.max - 1 }]);
    }
  }
}

class Emitter {
  readonly rules = new Map<string, string>();
  private counter = 0;
  private anyRule: string | undefined;

  constructor(
    private readonly prefix: string,
    private readonly context: 'raw' | 'json-string',
  ) {}

  private addRule(body: string): string {
    const name = `${this.prefix}-${++this.counter}`;
    this.rules.set(name, body);
    return name;
  }

  /** One rule per distinct body, so equal sub-expressions (e.g. from `nonEmpty` rewrites) share a name. */
  private readonly named = new Map<string, string>();
  private readonly chains = new Map<string, string[]>();

  private namedRule(body: string): string {
    let name = this.named.get(body);
    if (name === undefined) {
      name = this.addRule(body);
      this.named.set(body, name);
    }
    return name;
  }

  /** `a{0,k}` as nested optional rules `c1 ::= a?`, `ci ::= (a c(i-1))?`, shared between all k for one `a`. */
  private optionalChain(a: string, k: number): string {
    let chain = this.chains.get(a);
    if (chain === undefined) this.chains.set(a, (chain = []));
    while (chain.length < k) {
      const prev = chain[chain.length - 1];
      chain.push(this.addRule(prev === undefined ? `${a}?` : `(${a} ${prev})?`));
    }
    return chain[k - 1]!;
  }

  /** `any-code-point*` (encoded for the context), shared as one rule per fragment. */
  anyStar(): string {
    this.anyRule ??= this.addRule(`${this.set(CodePointSet.all).text}*`);
    return this.anyRule;
  }

  /** Emission per node object: `nonEmpty` rewrites share subtrees, so each is emitted (and its rules made) once. */
  private readonly memo = new Map<RegexNode, Emitted>();

  emit(n: RegexNode): Emitted {
    let e = this.memo.get(n);
    if (e === undefined) {
      e = this.emitUncached(n);
      this.memo.set(n, e);
    }
    return e;
  }

  private emitUncached(n: RegexNode): Emitted {
    switch (n.type) {
      case 'set':
        return this.set(n.set);
      case 'seq':
        return this.seq(n.items);
      case 'alt': {
        const alts = [...new Set(n.alts.map((a) => this.emit(a).text))];
        return alts.length === 1 ? { text: alts[0]!, atomic: false } : { text: `(${alts.join(' | ')})`, atomic: true };
      }
      case 'repeat':
        return this.repeat(n.node, n.min, n.max);
    }
  }

  private set(set: CodePointSet): Emitted {
    if (set.isEmpty) return NEVER;
    const single = set.single;
    if (single !== undefined) return { text: gbnfLiteral(this.encode(single)), atomic: true };
    if (this.context === 'raw') return { text: gbnfClass(set), atomic: true };
    const raw = set.minus(JSON_SPECIAL);
    const alts: string[] = [];
    if (!raw.isEmpty) alts.push(raw.single !== undefined ? gbnfLiteral(String.fromCodePoint(raw.single)) : gbnfClass(raw));
    const special = set.intersect(JSON_SPECIAL);
    const unicodeEscaped: number[] = [];
    for (const [lo, hi] of special.ranges) {
      for (let c = lo; c <= hi; c++) {
        if (JSON_SHORT_ESCAPES.has(c)) alts.push(gbnfLiteral(jsonEncode(c)));
        else unicodeEscaped.push(c);
      }
    }
    // `\u00xx` escapes grouped by their third hex digit: "\\u000" [0-7bef] | "\\u001" [0-9a-f]
    for (const high of [0, 1]) {
      const lows = unicodeEscaped.filter((c) => c >> 4 === high).map((c) => c & 0xf);
      if (lows.length === 0) continue;
      const lowSet = CodePointSet.of(...lows.map((l) => l.toString(16).codePointAt(0)!));
      const lowExpr = lowSet.single !== undefined ? gbnfLiteral(String.fromCodePoint(lowSet.single)) : `[${classBody(lowSet)}]`;
      alts.push(`${gbnfLiteral(`\\u00${high}`)} ${lowExpr}`);
    }
    if (alts.length === 1 && !alts[0]!.includes(' ')) return { text: alts[0]!, atomic: true };
    return { text: `(${alts.join(' | ')})`, atomic: true };
  }

  private encode(c: number): string {
    return this.context === 'json-string' ? jsonEncode(c) : String.fromCodePoint(c);
  }

  private seq(items: readonly RegexNode[]): Emitted {
    if (items.length === 0) return EPSILON;
    const parts: string[] = [];
    let literal = '';
    const flush = (): void => {
      if (literal !== '') parts.push(gbnfLiteral(literal));
      literal = '';
    };
    for (const item of items) {
      const single = item.type === 'set' ? item.set.single : undefined;
      if (single !== undefined) {
        literal += this.encode(single);
        continue;
      }
      flush();
      const e = this.emit(item);
      if (e.text !== '""') parts.push(e.text);
    }
    flush();
    if (parts.length === 0) return EPSILON;
    return parts.length === 1 ? { text: parts[0]!, atomic: isAtomicText(parts[0]!) } : { text: parts.join(' '), atomic: false };
  }

  private repeat(node: RegexNode, min: number, max: number): Emitted {
    let body: RegexNode | undefined = node;
    if (nullable(node)) {
      body = nonEmpty(node);
      min = 0;
    }
    if (body === undefined || max === 0) return EPSILON;
    let atom = this.emit(body);
    if (atom.text === NEVER.text) return min === 0 ? EPSILON : NEVER;
    if (!atom.atomic) atom = { text: `(${atom.text})`, atomic: true };
    const copies = min + (max > min ? 1 : 0);
    let a = atom.text;
    if (copies > 1 && a.length > NAME_THRESHOLD) a = this.namedRule(atom.text);
    const parts: string[] = [];
    if (max === Infinity) {
      for (let i = 0; i < min - 1; i++) parts.push(a);
      parts.push(min === 0 ? `${a}*` : `${a}+`);
    } else {
      for (let i = 0; i < min; i++) parts.push(a);
      const k = max - min;
      if (k === 1) parts.push(`${a}?`);
      else if (k > 1) parts.push(this.optionalChain(a, k));
    }
    return parts.length === 1 ? { text: parts[0]!, atomic: isAtomicText(parts[0]!) } : { text: parts.join(' '), atomic: false };
  }
}

/** True for a rule name or a single `"…"`/`[…]`/`(…)` term without a postfix operator. */
function isAtomicText(t: string): boolean {
  return /^[A-Za-z0-9-]+$/.test(t) || ((t.startsWith('"') || t.startsWith('[') || t.startsWith('(')) && isSingleTerm(t));
}

function isSingleTerm(t: string): boolean {
  // walk one term and check it spans the whole text (respecting quotes, classes, escapes and parens)
  let depth = 0;
  let i = 0;
  while (i < t.length) {
    const c = t[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < t.length && t[i] !== '"') i += t[i] === '\\' ? 2 : 1;
    } else if (c === '[') {
      i++;
      while (i < t.length && t[i] !== ']') i += t[i] === '\\' ? 2 : 1;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    i++;
    if (depth === 0) return i === t.length;
  }
  return false;
}
