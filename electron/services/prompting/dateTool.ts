import { ToolInputError } from './ToolInputError.js';
import type { ReActTool } from './ReActTool.js';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Dates for the ReAct agent, in UTC calendar days: "today" → `2026-11-27 (Friday)`; "today + 10 days",
 * "add -3 days", "2024-02-28 + 2 days" → the shifted date. `now` is injectable so tests and evals are
 * reproducible (default `Date.now`). Offsets are capped at ±100,000 days.
 */
export function dateTool(options: { now?: () => number } = {}): ReActTool {
  const now = options.now ?? Date.now;
  return {
    name: 'date',
    description: 'Calendar dates (UTC). Input "today", "today + N days", "add N days" or "YYYY-MM-DD + N days" (N may be negative).',
    async run(input) {
      const text = input.trim().toLowerCase();
      const m = /^(?:(today|\d{4}-\d{2}-\d{2})\s*(?:([+-])\s*(\d{1,6})\s*days?)?|add\s+(-?\d{1,6})\s+days?)$/.exec(text);
      if (m === null) throw new ToolInputError('date', input, 'expected "today", "today + N days", "add N days" or "YYYY-MM-DD + N days"');
      let startMs = Math.floor(now() / DAY_MS) * DAY_MS;
      if (m[1] !== undefined && m[1] !== 'today') {
        startMs = Date.parse(`${m[1]}T00:00:00Z`);
        if (Number.isNaN(startMs) || iso(startMs) !== m[1]) throw new ToolInputError('date', input, `"${m[1]}" is not a valid calendar date`);
      }
      const offset = m[4] !== undefined ? Number(m[4]) : m[3] !== undefined ? Number(m[3]) * (m[2] === '-' ? -1 : 1) : 0;
      if (Math.abs(offset) > 100_000) throw new ToolInputError('date', input, 'offset larger than 100000 days');
      const ms = startMs + offset * DAY_MS;
      const weekday = new Date(ms).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });
      return `${iso(ms)} (${weekday})`;
    },
  };
}
