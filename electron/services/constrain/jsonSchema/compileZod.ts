import { z } from 'zod';
import { compileJsonSchema, type CompileJsonSchemaOptions, type CompiledJsonSchema } from './compileJsonSchema.js';

/**
 * Compiles a zod 4 schema through `z.toJSONSchema` (draft 2020-12). zod writes `z.number().int()` as
 * `minimum: -9007199254740991, maximum: 9007199254740991` (±MAX_SAFE_INTEGER); those bounds carry no meaning
 * for generation and would cost a 16-digit range grammar, so they are stripped. Other bounds are kept.
 */
export function compileZod(schema: z.ZodType, options: CompileJsonSchemaOptions = {}): CompiledJsonSchema & { jsonSchema: unknown } {
  const jsonSchema = stripSafeIntegerBounds(z.toJSONSchema(schema, { unrepresentable: 'throw' }));
  return { ...compileJsonSchema(jsonSchema, options), jsonSchema };
}

function stripSafeIntegerBounds(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(stripSafeIntegerBounds);
  if (s === null || typeof s !== 'object') return s;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'minimum' && v === Number.MIN_SAFE_INTEGER) continue;
    if (k === 'maximum' && v === Number.MAX_SAFE_INTEGER) continue;
    out[k] = k === 'enum' || k === 'const' || k === 'default' || k === 'examples' ? v : stripSafeIntegerBounds(v);
  }
  return out;
}
