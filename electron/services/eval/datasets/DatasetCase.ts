import { z } from 'zod';

/** Any JSON value. */
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
export const Json: z.ZodType<Json> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(Json), z.record(z.string(), Json)]),
);

/**
 * One eval case. `input` is the prompt text, or an object of template variables. `expected` is the
 * reference answer (string) or reference JSON (extraction); it may be absent for cases scored only by
 * assertions. `id` defaults to `line-<n>` on import.
 */
export const DatasetCase = z.object({
  id: z.string().min(1),
  input: z.union([z.string(), z.record(z.string(), Json)]),
  expected: Json.optional(),
  tags: z.array(z.string()).default([]),
});
export type DatasetCase = z.infer<typeof DatasetCase>;

/** 'qa': free-text expected answers. 'extraction': every case has an expected JSON object or array. */
export type DatasetKind = 'qa' | 'extraction';

export type Dataset = { name: string; kind: DatasetKind; cases: DatasetCase[] };
