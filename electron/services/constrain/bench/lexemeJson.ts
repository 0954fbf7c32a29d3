/**
 * A JSON tree that keeps what `JSON.parse` loses: number lexemes (`12345.0` vs `12345`) and key order as
 * written (JS objects move integer-like keys first). The bench uses it for `numberLexemes: 'source'`: the
 * MaskBench labels were produced by a validator that saw the source text, where `12345.0` is not a draft-4
 * integer — after `JSON.parse`+`JSON.stringify` it would be `12345`, and the test would be unjudgeable.
 */
export type LexemeJson =
  | { kind: 'object'; entries: Array<[string, LexemeJson]> }
  | { kind: 'array'; items: LexemeJson[] }
  | { kind: 'number'; lexeme: string }
  | { kind: 'scalar'; value: string | boolean | null };

export function parseLexemeJson(text: string): LexemeJson {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`JSON: expected ${what} at offset ${i}`);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (text[i] !== '"') fail('closing quote');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (depth: number): LexemeJson => {
    if (depth > 512) fail('shallower nesting');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: Array<[string, LexemeJson]> = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('key');
        const k = str();
        ws();
        if (text[i++] !== ':') fail(':');
        entries.push([k, value(depth + 1)]);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return { kind: 'object', entries };
        } else fail(', or }');
      }
    }
    if (c === '[') {
      i++;
      const items: LexemeJson[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return { kind: 'array', items };
        } else fail(', or ]');
      }
    }
    if (c === '"') return { kind: 'scalar', value: str() };
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
    if (m) {
      i += m[0].length;
      return { kind: 'number', lexeme: m[0] };
    }
    for (const [lit, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return { kind: 'scalar', value: v };
      }
    }
    return fail('a value');
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('end of input');
  return v;
}

/** Compact serialization: like `JSON.stringify`, but numbers keep their lexeme and keys their order. */
export function stringifyLexemeJson(v: LexemeJson): string {
  switch (v.kind) {
    case 'object':
      return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${stringifyLexemeJson(x)}`).join(',')}}`;
    case 'array':
      return `[${v.items.map(stringifyLexemeJson).join(',')}]`;
    case 'number':
      return v.lexeme;
    case 'scalar':
      return JSON.stringify(v.value);
  }
}

/** The member of an object node, if any. */
export function lexemeMember(v: LexemeJson | undefined, key: string): LexemeJson | undefined {
  if (!v || v.kind !== 'object') return undefined;
  return v.entries.find(([k]) => k === key)?.[1];
}
