export type MajorityVoteResult = {
  /** The most frequent (normalised) answer; ties go to the answer seen first. */
  answer: string;
  /** Share of votes for `answer`, in (0, 1]. Low agreement is a useful "model is unsure" signal. */
  agreement: number;
  /** Votes per normalised answer, in first-seen order. */
  counts: Record<string, number>;
};

/** Default normalisation: trim, collapse whitespace, lower-case, drop one trailing period. */
export function normalizeAnswer(s: string): string {
  return s.trim().replace(/\s+/g, ' ').toLowerCase().replace(/\.$/, '');
}

/**
 * Self-consistency vote over sampled answers (pure part; sampling comes from the provider).
 * `undefined`/empty answers (no final answer extracted) abstain: they count in the denominator of
 * `agreement`, so 2 of 5 agreeing with 3 abstentions reads as 0.4, not 1.0.
 * @throws RangeError when there is no non-empty answer at all.
 */
export function majorityVote(
  answers: readonly (string | undefined)[],
  options: { normalize?: (s: string) => string } = {},
): MajorityVoteResult {
  const norm = options.normalize ?? normalizeAnswer;
  const counts = new Map<string, number>();
  for (const a of answers) {
    if (a === undefined) continue;
    const k = norm(a);
    if (k === '') continue;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  if (counts.size === 0) throw new RangeError('majorityVote: no non-empty answers to vote on');
  let best = '';
  let bestCount = 0;
  for (const [k, c] of counts) if (c > bestCount) [best, bestCount] = [k, c];
  return { answer: best, agreement: bestCount / answers.length, counts: Object.fromEntries(counts) };
}
