import { compileJsonSchema, type CompileJsonSchemaOptions } from './compileJsonSchema.js';

/**
 * "Any JSON" mode: a grammar for every JSON value (the `true` schema), with the same string, number and
 * whitespace rules as schema grammars (canonical key escapes are not imposed on values).
 */
export function anyJsonGbnf(options: Pick<CompileJsonSchemaOptions, 'whitespace'> = {}): string {
  return compileJsonSchema(true, options).gbnf;
}
