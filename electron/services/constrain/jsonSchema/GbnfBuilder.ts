/**
 * Accumulates GBNF rules for one grammar. Rules are hash-consed by body: two sub-schemas that compile
 * to the same text share one rule, which keeps grammars of repetitive real-world schemas small
 * (llama.cpp re-walks every rule on each accepted code point, so size is latency).
 * Rule names use only `[a-z0-9-]` (llama.cpp's rule-name alphabet).
 */
export class GbnfBuilder {
  private readonly rules = new Map<string, string>();
  private readonly byBody = new Map<string, string>();
  private readonly used = new Set<string>(['root']);
  private counter = 0;

  constructor(readonly maxRules = 20_000) {}

  get size(): number {
    return this.rules.size;
  }

  /** A fresh, unused rule name derived from `hint`. */
  reserve(hint: string): string {
    let base = hint.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'r';
    if (/^[0-9]/.test(base)) base = `r${base}`;
    let name = base;
    while (this.used.has(name)) name = `${base}-${++this.counter}`;
    this.used.add(name);
    return name;
  }

  /** Defines a reserved name. Throws when the rule budget is exceeded (caller maps to a typed error). */
  define(name: string, body: string): string {
    if (this.rules.size >= this.maxRules) throw new RuleBudgetExceeded(this.maxRules);
    this.rules.set(name, body);
    return name;
  }

  /** Returns the name of a rule with this body, creating it if needed. */
  rule(hint: string, body: string): string {
    const existing = this.byBody.get(body);
    if (existing !== undefined) return existing;
    const name = this.define(this.reserve(hint), body);
    this.byBody.set(body, name);
    return name;
  }

  /** Fixed-name rule (primitives like `char`, `value`); defined once. */
  fixed(name: string, body: () => string): string {
    if (!this.rules.has(name)) {
      this.used.add(name);
      this.rules.set(name, '');
      this.rules.set(name, body());
    }
    return name;
  }

  /** Imports rules produced elsewhere (e.g. by `regexToGbnf`), names must already be unique. */
  importRules(rules: ReadonlyMap<string, string>): void {
    for (const [name, body] of rules) {
      if (this.rules.has(name) && this.rules.get(name) !== body) throw new Error(`GBNF rule name clash: ${name}`);
      this.used.add(name);
      this.rules.set(name, body);
    }
  }

  toString(rootExpr: string): string {
    const lines = [`root ::= ${rootExpr}`];
    for (const [name, body] of this.rules) lines.push(`${name} ::= ${body}`);
    return lines.join('\n') + '\n';
  }
}

export class RuleBudgetExceeded extends Error {
  constructor(readonly maxRules: number) {
    super(`grammar exceeds ${maxRules} rules`);
  }
}

/** A GBNF string literal for `text` (every non-alphanumeric char escaped, so the output is always parseable). */
export function gbnfLiteral(text: string): string {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (/[A-Za-z0-9 _.,:;{}[\]@#$%&*+=!?<>|~^`'()/-]/.test(ch)) out += ch;
    else out += escapeCodePoint(cp);
  }
  return out + '"';
}

/** Escape for use inside GBNF literals and character classes. */
export function escapeCodePoint(cp: number): string {
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** A char-class item (single code point), escaped unless plainly alphanumeric. */
export function classChar(cp: number): string {
  const ch = String.fromCodePoint(cp);
  return /[A-Za-z0-9]/.test(ch) ? ch : escapeCodePoint(cp);
}
