import { ToolInputError } from './ToolInputError.js';

/** Limits that keep a hostile expression cheap: input length and nesting depth. */
const MAX_LENGTH = 256;
const MAX_DEPTH = 32;

const FUNCTIONS: Record<string, { arity: [number, number]; fn: (...xs: number[]) => number }> = {
  sqrt: { arity: [1, 1], fn: Math.sqrt },
  abs: { arity: [1, 1], fn: Math.abs },
  round: { arity: [1, 1], fn: Math.round },
  floor: { arity: [1, 1], fn: Math.floor },
  ceil: { arity: [1, 1], fn: Math.ceil },
  min: { arity: [1, 16], fn: Math.min },
  max: { arity: [1, 16], fn: Math.max },
};
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

/**
 * Evaluate an arithmetic expression with a recursive-descent parser — never `eval`/`Function`, so input like
 * `process.exit()` or `constructor` is a syntax error, not code. Grammar: numbers (decimal, `1e3`), `+ - * / %`, `^` / `**` (right-associative power), unary ±, parentheses;
 * functions sqrt abs round floor ceil min max; constants pi, e. Commas as thousands separators are rejected
 * (ambiguous with argument lists). Division by zero and any non-finite result are errors.
 * @throws ToolInputError (tool "calculator") with the position of the problem.
 */
export function evaluateArithmetic(expression: string): number {
  const fail = (reason: string): never => {
    throw new ToolInputError('calculator', expression, reason);
  };
  if (expression.length > MAX_LENGTH) fail(`expression longer than ${MAX_LENGTH} characters`);
  const src = expression;
  let pos = 0;
  let depth = 0;
  const skip = () => {
    while (pos < src.length && /\s/.test(src[pos]!)) pos++;
  };
  const peek = (): string => {
    skip();
    return src[pos] ?? '';
  };
  const eat = (s: string): boolean => {
    skip();
    if (src.startsWith(s, pos)) {
      pos += s.length;
      return true;
    }
    return false;
  };
  const finite = (x: number, what: string): number => (Number.isFinite(x) ? x : fail(`${what} is not a finite number`));
  const enter = () => {
    if (++depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
  };

  // expr := term (('+'|'-') term)*
  const expr = (): number => {
    enter();
    let v = term();
    for (;;) {
      if (eat('+')) v = finite(v + term(), 'sum');
      else if (peek() === '-') {
        pos++;
        v = finite(v - term(), 'difference');
      } else break;
    }
    depth--;
    return v;
  };
  // term := power (('*'|'/'|'%') power)*   ('**' is power, not two '*')
  const term = (): number => {
    let v = unary();
    for (;;) {
      skip();
      if (src.startsWith('**', pos)) break;
      if (eat('*')) v = finite(v * unary(), 'product');
      else if (eat('/')) {
        const d = unary();
        if (d === 0) fail('division by zero');
        v = finite(v / d, 'quotient');
      } else if (eat('%')) {
        const d = unary();
        if (d === 0) fail('modulo by zero');
        v = finite(v % d, 'remainder');
      } else break;
    }
    return v;
  };
  // unary := ('+'|'-') unary | power
  const unary = (): number => {
    if (eat('+')) return unaryNested();
    if (eat('-')) return -unaryNested();
    return power();
  };
  const unaryNested = (): number => {
    enter();
    const v = unary();
    depth--;
    return v;
  };
  // power := atom (('^'|'**') unary)?   right-associative; -2^2 = -(2^2) as in maths
  const power = (): number => {
    const base = atom();
    if (eat('^') || eat('**')) {
      enter();
      const exponent = unary();
      depth--;
      return finite(base ** exponent, 'power');
    }
    return base;
  };
  const atom = (): number => {
    const c = peek();
    if (c === '(') {
      pos++;
      const v = expr();
      if (!eat(')')) fail(`expected ")" at position ${pos}`);
      return v;
    }
    const num = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(pos));
    if (num !== null) {
      pos += num[0].length;
      if (/^[A-Za-z_\d]/.test(src.slice(pos))) fail(`unexpected "${src[pos]}" after a number at position ${pos}`);
      return finite(Number(num[0]), 'literal');
    }
    const ident = /^[A-Za-z_]\w*/.exec(src.slice(pos));
    if (ident !== null) {
      const name = ident[0].toLowerCase();
      pos += ident[0].length;
      if (Object.prototype.hasOwnProperty.call(CONSTANTS, name)) return CONSTANTS[name]!;
      if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, name)) fail(`unknown name "${ident[0]}"`);
      const f = FUNCTIONS[name]!;
      if (!eat('(')) fail(`expected "(" after ${name}`);
      const args = [expr()];
      while (eat(',')) args.push(expr());
      if (!eat(')')) fail(`expected ")" at position ${pos}`);
      if (args.length < f.arity[0] || args.length > f.arity[1]) fail(`${name} takes ${f.arity[0]}..${f.arity[1]} arguments, got ${args.length}`);
      return finite(f.fn(...args), `${name}(…)`);
    }
    return fail(c === '' ? 'unexpected end of expression' : `unexpected "${c}" at position ${pos}`);
  };

  if (src.trim() === '') fail('empty expression');
  const value = expr();
  if (peek() !== '') fail(`unexpected "${peek()}" at position ${pos}`);
  return Object.is(value, -0) ? 0 : value;
}
