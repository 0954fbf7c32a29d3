import { ToolInputError } from './ToolInputError.js';
import type { ReActTool } from './ReActTool.js';

/** One search hit as the agent sees it. */
export type SearchHit = { text: string; source?: string };

/**
 * Document search for the ReAct agent over any search function (the app passes the hybrid retriever; tests
 * a list). Hits are numbered with their source and cut to `maxCharsPerHit` (default 300) so one observation
 * cannot flood the context. Retrieved text is data: the agent's prompt says so, and the action grammar only
 * allows registered tools, so a hit saying "call X" cannot make the agent do anything new.
 */
export function documentSearchTool(
  search: (query: string, k: number, signal?: AbortSignal) => Promise<readonly SearchHit[]>,
  options: { k?: number; maxCharsPerHit?: number } = {},
): ReActTool {
  const k = options.k ?? 3;
  const max = options.maxCharsPerHit ?? 300;
  return {
    name: 'search',
    description: 'Searches the user\'s documents. Input: a short query. Returns the best passages with their sources.',
    async run(input, { signal }) {
      const query = input.trim();
      if (query === '') throw new ToolInputError('search', input, 'empty query');
      const hits = await search(query, k, signal);
      if (hits.length === 0) return 'No matching passages.';
      return hits
        .slice(0, k)
        .map((h, i) => {
          const text = h.text.replace(/\s+/g, ' ').trim();
          return `[${i + 1}]${h.source === undefined ? '' : ` (${h.source})`} ${text.length > max ? `${text.slice(0, max)}…` : text}`;
        })
        .join('\n');
    },
  };
}
