import type { GbnfFragment } from './regexToGbnf.js';

/**
 * A complete GBNF grammar text whose root is the fragment, e.g. for `GrammarChecker.compile` or
 * `llama.createGrammar`. Rule-name clashes with `rootRuleName` are the caller's to avoid via `rulePrefix`.
 */
export function fragmentToGrammar(fragment: GbnfFragment, rootRuleName = 'root'): string {
  const lines = [`${rootRuleName} ::= ${fragment.expr}`];
  for (const [name, body] of fragment.rules) lines.push(`${name} ::= ${body}`);
  return lines.join('\n') + '\n';
}
