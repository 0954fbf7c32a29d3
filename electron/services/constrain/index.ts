export {
  compileJsonSchema,
  canonicalJson,
  type CompileJsonSchemaOptions,
  type CompiledJsonSchema,
} from './jsonSchema/compileJsonSchema.js';
export { compileZod } from './jsonSchema/compileZod.js';
export { compileTools, type ToolDefinition } from './jsonSchema/compileTools.js';
export { anyJsonGbnf } from './jsonSchema/anyJsonGbnf.js';
export { SchemaCompileError } from './jsonSchema/SchemaCompileError.js';
export { SchemaInvalidError } from './jsonSchema/SchemaInvalidError.js';
export { SchemaUnsatisfiableError } from './jsonSchema/SchemaUnsatisfiableError.js';
export { integerRangeGbnf } from './jsonSchema/integerRangeGbnf.js';
export {
  runSchemaBench,
  splitOf,
  type RunSchemaBenchOptions,
  type SchemaBenchReport,
  type SchemaBenchStats,
  type SchemaOutcome,
  type SchemaBenchEngine,
} from './bench/runSchemaBench.js';
export { formatSchemaBenchReport } from './bench/formatSchemaBenchReport.js';
export * from './regex/index.js';
export * from './check/index.js';
