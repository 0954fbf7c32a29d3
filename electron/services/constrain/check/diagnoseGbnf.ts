/**
 * Explains why llama.cpp refused a grammar. llama.cpp prints its parse message straight to stderr and its
 * left-recursion message through a process-global, asynchronous logger (whichever `Llama` instance set it
 * last receives it), so neither can be attached to a synchronous error. This small structural parser of
 * llama.cpp's GBNF finds the usual culprits: syntax errors, a missing root, undefined rules, left recursion.
 * Returns undefined when it finds nothing; llama.cpp stays the judge of validity.
 */
export function diagnoseGbnf(gbnf: string, rootRuleName = 'root'): string | undefined {
  let rules: Map<string, Alt[]>;
  try {
    rules = new GbnfParser(gbnf).parse();
  } catch (e) {
    if (e instanceof GbnfSyntaxError) return e.message;
    throw e;
  }
  if (!rules.has(rootRuleName)) return `no rule named "${rootRuleName}"`;
  for (const alts of rules.values()) {
    for (const ref of refs(alts)) if (!rules.has(ref)) return `undefined rule "${ref}"`;
  }
  const cycle = findLeftRecursion(rules);
  return cycle === undefined ? undefined : `left recursion: ${cycle.join(' → ')}`;
}

type Item =
  | { kind: 'terminal'; nullable: boolean; min: number }
  | { kind: 'ref'; name: string; min: number }
  | { kind: 'group'; alts: Alt[]; min: number };
type Alt = Item[];

class GbnfSyntaxError extends Error {}

function* refs(alts: Alt[]): Generator<string> {
  for (const alt of alts) {
    for (const item of alt) {
      if (item.kind === 'ref') yield item.name;
      else if (item.kind === 'group') yield* refs(item.alts);
    }
  }
}

class GbnfParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): Map<string, Alt[]> {
    const rules = new Map<string, Alt[]>();
    this.space(true);
    while (this.pos < this.src.length) {
      const name = this.name();
      this.space(false);
      if (!this.src.startsWith('::=', this.pos)) throw this.error('expected ::=');
      this.pos += 3;
      this.space(true);
      rules.set(name, this.alternates(false));
      if (this.src[this.pos] === ')') throw this.error('unexpected ")"');
      this.space(true);
    }
    return rules;
  }

  private error(message: string): GbnfSyntaxError {
    const line = this.src.slice(0, this.pos).split('\n').length;
    return new GbnfSyntaxError(`${message} at line ${line}: ${JSON.stringify(this.src.slice(this.pos, this.pos + 20))}`);
  }

  private space(newlines: boolean): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t' || (newlines && (c === '\n' || c === '\r'))) this.pos++;
      else if (c === '#') while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
      else return;
    }
  }

  private name(): string {
    const m = /^[A-Za-z0-9-]+/.exec(this.src.slice(this.pos));
    if (m === null) throw this.error('expected a rule name');
    this.pos += m[0].length;
    return m[0];
  }

  private alternates(nested: boolean): Alt[] {
    const alts: Alt[] = [this.sequence(nested)];
    while (this.src[this.pos] === '|') {
      this.pos++;
      this.space(true);
      alts.push(this.sequence(nested));
    }
    return alts;
  }

  private sequence(nested: boolean): Alt {
    const items: Item[] = [];
    for (;;) {
      this.space(nested);
      const c = this.src[this.pos];
      if (c === undefined || c === '|' || c === ')' || c === '\n' || c === '\r') return items;
      let item: Item;
      if (c === '"') item = { kind: 'terminal', nullable: this.literal(), min: 1 };
      else if (c === '[') {
        this.charClass();
        item = { kind: 'terminal', nullable: false, min: 1 };
      } else if (c === '.') {
        this.pos++;
        item = { kind: 'terminal', nullable: false, min: 1 };
      } else if (c === '(') {
        this.pos++;
        this.space(true);
        const alts = this.alternates(true);
        this.space(true);
        if (this.src[this.pos] !== ')') throw this.error('expected )');
        this.pos++;
        item = { kind: 'group', alts, min: 1 };
      } else if (/[A-Za-z0-9-]/.test(c)) {
        const save = this.pos;
        const name = this.name();
        this.space(false);
        if (this.src.startsWith('::=', this.pos)) {
          this.pos = save; // next rule starts (llama.cpp allows this after a newline only; close enough)
          return items;
        }
        item = { kind: 'ref', name, min: 1 };
      } else throw this.error(`unexpected ${JSON.stringify(c)}`);
      items.push(this.postfix(item));
    }
  }

  private postfix(item: Item): Item {
    const c = this.src[this.pos];
    if (c === '*' || c === '?') {
      this.pos++;
      return { ...item, min: 0 };
    }
    if (c === '+') {
      this.pos++;
      return item;
    }
    if (c === '{') {
      const m = /^\{\s*(\d+)\s*(,\s*(\d*)\s*)?\}/.exec(this.src.slice(this.pos));
      if (m === null) throw this.error('malformed repetition');
      this.pos += m[0].length;
      return { ...item, min: Number(m[1]) };
    }
    return item;
  }

  /** Skips `"…"`; returns whether it is empty. */
  private literal(): boolean {
    this.pos++;
    const start = this.pos;
    while (this.src[this.pos] !== '"') {
      if (this.pos >= this.src.length) throw this.error('unterminated string');
      this.char();
    }
    this.pos++;
    return this.pos - 1 === start;
  }

  private charClass(): void {
    this.pos++;
    if (this.src[this.pos] === '^') this.pos++;
    while (this.src[this.pos] !== ']') {
      if (this.pos >= this.src.length) throw this.error('unterminated character class');
      this.char();
      if (this.src[this.pos] === '-' && this.src[this.pos + 1] !== ']') {
        this.pos++;
        if (this.pos >= this.src.length) throw this.error('unterminated character class');
        this.char();
      }
    }
    this.pos++;
  }

  private char(): void {
    if (this.src[this.pos] !== '\\') {
      this.pos += (this.src.codePointAt(this.pos) ?? 0) > 0xffff ? 2 : 1;
      return;
    }
    const e = this.src[this.pos + 1];
    const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hex > 0) {
      if (!new RegExp(`^[0-9A-Fa-f]{${hex}}`).test(this.src.slice(this.pos + 2))) throw this.error(`malformed \\${e} escape`);
      this.pos += 2 + hex;
    } else if (e !== undefined && 'trn\\"[]'.includes(e)) this.pos += 2;
    else throw this.error(`unknown escape \\${e ?? ''}`);
  }
}

/** A cycle of rules each reachable from the previous at a leftmost position, or undefined. */
function findLeftRecursion(rules: Map<string, Alt[]>): string[] | undefined {
  const nullableRules = new Set<string>();
  const itemNullable = (item: Item): boolean =>
    item.min === 0 ||
    (item.kind === 'terminal' && item.nullable) ||
    (item.kind === 'ref' && nullableRules.has(item.name)) ||
    (item.kind === 'group' && item.alts.some((alt) => alt.every(itemNullable)));
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, alts] of rules) {
      if (!nullableRules.has(name) && alts.some((alt) => alt.every(itemNullable))) {
        nullableRules.add(name);
        changed = true;
      }
    }
  }
  const leftRefs = (alts: Alt[], out: Set<string>): void => {
    for (const alt of alts) {
      for (const item of alt) {
        if (item.kind === 'ref') out.add(item.name);
        else if (item.kind === 'group') leftRefs(item.alts, out);
        if (!itemNullable(item)) break;
      }
    }
  };
  const edges = new Map<string, string[]>();
  for (const [name, alts] of rules) {
    const out = new Set<string>();
    leftRefs(alts, out);
    edges.set(name, [...out]);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'visiting');
    path.push(name);
    for (const next of edges.get(name) ?? []) {
      const cycle = visit(next);
      if (cycle !== undefined) return cycle;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of rules.keys()) {
    const cycle = visit(name);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}
