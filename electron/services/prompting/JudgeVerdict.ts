import { z } from 'zod';

/**
 * What the judge model must produce, generated under the grammar compiled from this very schema
 * (`compileZod`), then validated with it: one zod schema is both the constraint and the check.
 * `reasons` is bounded so a rambling model cannot run up the bill; 1–5 is the usual Likert range
 * (RAGAS / G-Eval style) — coarse enough for small judges to be consistent.
 */
export const JudgeVerdict = z
  .object({
    score: z.number().int().min(1).max(5),
    reasons: z.string().max(400),
  })
  .strict();
export type JudgeVerdict = z.infer<typeof JudgeVerdict>;
