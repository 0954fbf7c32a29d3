import { BatchSplitError } from './BatchSplitError.js';

/**
 * Splits a batched answer back into exactly `count` results: the output must be a JSON array of `count`
 * elements, or `{"results": [...]}` (the object-rooted form for structured-output APIs). Surrounding whitespace and
 * one Markdown code fence are tolerated (unconstrained remote models add them); anything else throws
 * BatchSplitError (VALIDATION_FAILED) — results are never guessed, padded or truncated.
 */
export function splitBatch(output: string, count: number): unknown[] {
  let text = output.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/.exec(text);
  if (fenced) text = fenced[1]!.trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new BatchSplitError(count, null, `not JSON (${(err as Error).message})`);
  }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && Array.isArray((parsed as { results?: unknown }).results)) {
    parsed = (parsed as { results: unknown[] }).results;
  }
  if (!Array.isArray(parsed)) throw new BatchSplitError(count, null, 'not a JSON array');
  if (parsed.length !== count) throw new BatchSplitError(count, parsed.length, `got ${parsed.length} results`);
  return parsed;
}
