/**
 * The parts of a prompt that embeddings barely see but that change the right answer: numbers, negations and quoted
 * strings. Two prompts with different signatures must not share an answer through the semantic layer (exact hits are
 * unaffected). Measured with USE-Lite: "Summarize in two sentences" vs "…three sentences" scores 0.989, above the
 * 0.95 default threshold; the signature tells them apart.
 *
 * Trade-offs:
 * - Numbers: digit runs (incl. decimals and thousands separators, "1,234.5" → 1234.5) and English number words
 *   (zero…twenty, tens, hundred, thousand, million, billion, dozen, half, once/twice) and ordinals (first…tenth,
 *   1st/2nd…), mapped to values so "two sentences" and "2 sentences" agree. Compared in order of appearance: "2 then
 *   3" and "3 then 2" differ (a reordering paraphrase misses — safe, only a lost hit).
 * - Negations: counted, not located — "don't", "do not", "never", "without" are one class, so "I don't want X" and
 *   "I do not want X" agree, but adding or removing any negation is a miss. A negation moved to another clause with
 *   the same count is NOT caught (rare in paraphrases of one short question).
 * - Quoted strings ("…", '…', “…”, ‘…’, `…`): compared exactly (case and spacing inside), as a sorted multiset.
 * Anything else (names, units, dates written as words) is left to the threshold.
 */
export function lexicalSignature(text: string): string {
  const t = text.normalize('NFKC');
  const quotes = [...quotedStrings(t)].sort();
  // quoted text is compared above; numbers/negations outside quotes only, so a quote is not counted twice
  const rest = stripQuotes(t).toLowerCase().replace(/[’`]/g, "'");
  const numbers: string[] = [];
  let negations = 0;
  for (const m of rest.matchAll(TOKEN)) {
    const tok = m[0];
    if (/^\d/.test(tok)) {
      numbers.push(digitValue(tok));
      continue;
    }
    if (tok.endsWith("n't")) {
      negations++;
      continue;
    }
    if (NEGATIONS.has(tok)) negations++;
    const word = NUMBER_WORDS.get(tok);
    if (word !== undefined) numbers.push(word);
  }
  return JSON.stringify([numbers, negations, quotes]);
}

/** Whether two prompts agree on numbers, negations and quoted strings (see `lexicalSignature`). */
export function sameLexicalSignature(a: string, b: string): boolean {
  return lexicalSignature(a) === lexicalSignature(b);
}

/** digit runs with decimals/separators and ordinal suffixes, or words (with an optional n't / 's). */
const TOKEN = /\d[\d,]*(?:\.\d+)?(?:st|nd|rd|th)?|[a-z]+(?:'[a-z]+)?/g;

const NEGATIONS = new Set(['not', 'no', 'never', 'none', 'nothing', 'nobody', 'nowhere', 'neither', 'nor', 'without', 'cannot', 'cant', 'dont', 'doesnt', 'isnt', 'wont']);

const NUMBER_WORDS = new Map<string, string>([
  ...['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty'].map(
    (w, i) => [w, String(i)] as [string, string],
  ),
  ...['thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'].map((w, i) => [w, String((i + 3) * 10)] as [string, string]),
  ['hundred', '*100'],
  ['thousand', '*1000'],
  ['million', '*1e6'],
  ['billion', '*1e9'],
  ['dozen', '12'],
  ['half', '0.5'],
  ['once', 'x1'],
  ['twice', 'x2'],
  ['thrice', 'x3'],
  ...['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth'].map(
    (w, i) => [w, `#${i + 1}`] as [string, string],
  ),
  ['twentieth', '#20'],
  ['hundredth', '#100'],
  ['last', '#last'],
]);

function digitValue(tok: string): string {
  const ordinal = /(st|nd|rd|th)$/.exec(tok);
  const digits = ordinal === null ? tok : tok.slice(0, -2);
  // "1,234" is one thousand two hundred thirty-four; a trailing comma belongs to the sentence
  const value = Number(digits.replace(/,+$/, '').replace(/,(?=\d{3}(?!\d))/g, ''));
  const text = Number.isFinite(value) ? String(value) : digits;
  return ordinal === null ? text : `#${text}`;
}

const QUOTE_PAIRS: [string, string][] = [
  ['"', '"'],
  ['\u201c', '\u201d'],
  ['\u2018', '\u2019'],
  ['`', '`'],
];

/** One pattern per quote pair, built once: the quoted span is group 1 (`matchAll` and `replace` reset `lastIndex`). */
const QUOTED: RegExp[] = QUOTE_PAIRS.map(([open, close]) => new RegExp(`${escape(open)}([^${escape(close)}\\n]{1,500})${escape(close)}`, 'g'));

/** Quoted spans; single straight quotes count only at word edges (so "don't" and "it's" are not quotes). */
function* quotedStrings(t: string): Generator<string> {
  for (const re of QUOTED) for (const m of t.matchAll(re)) yield m[1]!;
  for (const m of t.matchAll(SINGLE_QUOTED)) yield m[2]!;
}

const SINGLE_QUOTED = /(^|[\s([{:,])'([^'\n]{1,500})'(?=$|[\s.,;:!?)\]}])/g;

function stripQuotes(t: string): string {
  let out = t;
  for (const re of QUOTED) out = out.replace(re, ' ');
  return out.replace(SINGLE_QUOTED, '$1 ');
}

function escape(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&');
}
