import { z } from 'zod';

/** What an extraction must produce: a JSON Schema, a regex, or any JSON value. */
export const ExtractionTargetInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('json-schema'), schema: z.union([z.record(z.string(), z.unknown()), z.boolean()]) }).strict(),
  z.object({ kind: z.literal('regex'), pattern: z.string().min(1).max(4000) }).strict(),
  z.object({ kind: z.literal('any-json') }).strict(),
]);
export type ExtractionTargetInput = z.infer<typeof ExtractionTargetInput>;

export const PostValidatedKeyword = z.object({ keyword: z.string(), pointer: z.string() });

export const CompiledTarget = z.object({
  grammarHash: z.string(),
  schemaHash: z.string(),
  grammarBytes: z.number().int(),
  /** Keywords the grammar does not enforce (validated afterwards); empty unless allowPostValidation. */
  postValidation: z.array(PostValidatedKeyword),
});

export const ExtractInput = z
  .object({
    target: ExtractionTargetInput,
    input: z.string().min(1).max(500_000),
    instructions: z.string().max(4000).optional(),
    temperature: z.number().min(0).max(2).default(0),
    maxTokens: z.number().int().min(1).max(8192).default(512),
    seed: z.number().int().min(0).optional(),
    allowPostValidation: z.boolean().default(false),
  })
  .strict();

export const ExtractOutput = z.object({
  value: z.unknown(),
  raw: z.string(),
  grammarHash: z.string().nullable(),
  schemaHash: z.string(),
  enforcement: z.enum(['grammar', 'response-format', 'validate-and-retry']),
  postValidated: z.array(PostValidatedKeyword),
  attempts: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  durationMs: z.number(),
});
export type ExtractOutput = z.infer<typeof ExtractOutput>;

export const ExtractPartialEvent = z.object({ requestId: z.string(), partial: z.unknown(), text: z.string() });
