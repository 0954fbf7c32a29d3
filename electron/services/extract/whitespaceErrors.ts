import type { CompileJsonSchemaOptions } from '../constrain/index.js';

/**
 * Whitespace outside strings: none for compact; for pretty, each run is one optional space or 1..maxNewlines
 * newlines each followed by at most `indent * 10` spaces (the bound `compileJsonSchema` documents).
 */
export function whitespaceErrors(text: string, whitespace: NonNullable<CompileJsonSchemaOptions['whitespace']>): string[] {
  const runs: string[] = [];
  let inString = false;
  let run = '';
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (inString) {
      if (ch === '\\') i += 1;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') {
      run += ch;
      continue;
    }
    if (run !== '') runs.push(run);
    run = '';
    if (ch === '"') inString = true;
  }
  if (run !== '') runs.push(run);
  if (whitespace === 'compact') return runs.length === 0 ? [] : [`compact output has whitespace ${JSON.stringify(runs[0])}`];
  const indent = Math.max(0, Math.floor(whitespace.pretty.indent)) * 10;
  const newlines = Math.max(1, Math.floor(whitespace.pretty.maxNewlines ?? 1));
  const allowed = new RegExp(`^(?: |(?:\\n {0,${indent}}){1,${newlines}})$`);
  const bad = runs.find((r) => !allowed.test(r));
  return bad === undefined ? [] : [`pretty whitespace run ${JSON.stringify(bad)} is outside the bound`];
}
