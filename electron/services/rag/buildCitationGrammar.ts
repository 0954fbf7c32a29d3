import { fragmentToGrammar, regexToGbnf } from '../constrain/index.js';

/** The line that separates the answer from its citation list in the constrained output. */
export const SOURCES_MARKER = '\nSources: ';

export interface CitationGrammarOptions {
  /** Cap on the answer's length in code points (the grammar forces the citation list after it). Default 1200. */
  maxAnswerChars?: number;
}

/**
 * GBNF for a grounded answer: free text (where `[` and `]` may only appear as an inline citation `[n]`), then
 * `\nSources: [a], [b]…` — one to `passageCount` citations. Every citation, inline or listed, is an alternation of
 * exactly the numbers 1..passageCount, so the model cannot cite a passage it was not given.
 *
 * Built with the constrain service's regex compiler, so the language is exactly that of the regex below.
 * Trade-offs: the answer length is bounded in the grammar (`{1,maxAnswerChars}` — a chain of nested optional rules,
 * linear in the bound) so even a rambling model must end with its sources; plain-text brackets are not available to
 * the answer; duplicate citations are allowed by the grammar and removed when parsing.
 */
export function buildCitationGrammar(passageCount: number, options: CitationGrammarOptions = {}): string {
  if (!Number.isSafeInteger(passageCount) || passageCount < 1) throw new RangeError('passageCount must be a positive integer');
  const maxChars = options.maxAnswerChars ?? 1200;
  if (!Number.isSafeInteger(maxChars) || maxChars < 1) throw new RangeError('maxAnswerChars must be a positive integer');
  const ids = Array.from({ length: passageCount }, (_, i) => String(i + 1)).join('|');
  const cite = `\\[(?:${ids})\\]`;
  const marker = SOURCES_MARKER.replace('\n', '\\n');
  const pattern = `(?:[^\\[\\]]|${cite}){1,${maxChars}}${marker}${cite}(?:, ${cite}){0,${passageCount - 1}}`;
  return fragmentToGrammar(regexToGbnf(pattern, { rulePrefix: 'cite' }));
}
