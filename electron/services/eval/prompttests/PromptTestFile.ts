import { z } from 'zod';


/**
 * One assertion on a model output. String `value`s are themselves templates rendered with the
 * case's vars, so `{type: equals, value: "{{expected}}"}` works across a matrix.
 */
export const Assertion = z.discriminatedUnion('type', [
  z.object({ type: z.enum(['equals', 'normalized-equals', 'contains', 'icontains', 'not-contains', 'starts-with']), value: z.string() }),
  z.object({ type: z.enum(['regex', 'not-regex']), value: z.string(), flags: z.string().regex(/^[imsu]*$/).optional() }),
  z.object({ type: z.literal('in-set'), value: z.array(z.string()).min(1) }),
  z.object({ type: z.literal('json-valid') }),
  z.object({ type: z.literal('json-schema'), value: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('numeric'), value: z.union([z.number(), z.string()]), abs: z.number().nonnegative().optional(), rel: z.number().nonnegative().optional() }),
  z.object({ type: z.enum(['max-latency-ms', 'max-length']), value: z.number().nonnegative() }),
]);
export type Assertion = z.infer<typeof Assertion>;

export const PromptTestEntry = z.object({
  /** Optional label; defaults to the vars. */
  name: z.string().optional(),
  /** Fixed variables for this entry. */
  vars: z.record(z.string(), z.unknown()).default({}),
  /** Each key lists values; the entry expands to the cartesian product (capped at 1000 cases per file). */
  matrix: z.record(z.string(), z.array(z.unknown()).min(1)).optional(),
  assert: z.array(Assertion).default([]),
});

/**
 * A prompt unit-test file (YAML or JSON):
 * ```yaml
 * prompt: "Capital of {{country}}? One word."
 * assert: [{type: max-latency-ms, value: 5000}]        # applied to every case
 * tests:
 *   - vars: {country: France, expected: Paris}
 *     assert: [{type: normalized-equals, value: "{{expected}}"}]
 *   - matrix: {country: [Chad, Peru]}
 *     assert: [{type: regex, value: "^[A-Z][a-z]+\\.?$"}]
 * ```
 */
export const PromptTestFile = z.object({
  description: z.string().optional(),
  prompt: z.string().min(1),
  /** Template version label recorded in results. */
  version: z.number().int().positive().default(1),
  /** Assertions applied to every case, before the case's own. */
  assert: z.array(Assertion).default([]),
  tests: z.array(PromptTestEntry).min(1),
});
export type PromptTestFile = z.infer<typeof PromptTestFile>;

