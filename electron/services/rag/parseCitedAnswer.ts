import { SOURCES_MARKER } from './buildCitationGrammar.js';

export interface ParsedCitedAnswer {
  /** The answer text without the sources line (inline `[n]` markers kept). */
  answer: string;
  /** Cited passage numbers, first mention first, without duplicates: listed sources, then inline-only ones. */
  citations: number[];
  /** Whether the sources line was present (false when generation stopped early, e.g. at maxTokens). */
  complete: boolean;
}

/**
 * Splits constrained output (see `buildCitationGrammar`) into answer and citations. Numbers outside
 * 1..passageCount are dropped — the grammar already forbids them; this guards text that did not come through it.
 * A truncated output (no sources line) keeps its inline citations.
 */
export function parseCitedAnswer(text: string, passageCount: number): ParsedCitedAnswer {
  const at = text.lastIndexOf(SOURCES_MARKER + '[');
  const complete = at >= 0;
  const answer = (complete ? text.slice(0, at) : text).trim();
  const sources = complete ? text.slice(at + SOURCES_MARKER.length) : '';
  const seen = new Set<number>();
  const citations: number[] = [];
  for (const part of [sources, answer]) {
    for (const m of part.matchAll(/\[(\d{1,4})\]/g)) {
      const n = Number(m[1]);
      if (n >= 1 && n <= passageCount && !seen.has(n)) {
        seen.add(n);
        citations.push(n);
      }
    }
  }
  return { answer, citations, complete };
}
