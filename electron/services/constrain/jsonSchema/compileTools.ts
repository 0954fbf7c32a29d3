import { SchemaInvalidError } from './SchemaInvalidError.js';
import { compileJsonSchema, type CompileJsonSchemaOptions, type CompiledJsonSchema } from './compileJsonSchema.js';

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: unknown;
}

/**
 * A grammar for one tool call `{"name": <tool name>, "arguments": <that tool's arguments>}`. Built as a
 * `oneOf` over the tools, discriminated by the `name` const, so each name is tied to its own argument
 * schema (and the branches are provably disjoint). Each tool's `$defs`/`definitions` stay resolvable: the
 * parameters are hoisted under `$defs/tool<i>` and their local `#/...` refs are rewritten.
 */
export function compileTools(tools: ToolDefinition[], options: CompileJsonSchemaOptions = {}): CompiledJsonSchema {
  if (tools.length === 0) throw new SchemaInvalidError('tools', '', 'at least one tool is required');
  const seen = new Set<string>();
  const defs: Record<string, unknown> = {};
  const branches = tools.map((t, i) => {
    if (typeof t.name !== 'string' || t.name === '') throw new SchemaInvalidError('name', `/${i}`, 'tool name must be a non-empty string');
    if (seen.has(t.name)) throw new SchemaInvalidError('name', `/${i}`, `duplicate tool name "${t.name}"`);
    seen.add(t.name);
    const key = `tool${i}`;
    defs[key] = rebaseRefs(t.parameters, `#/$defs/${key}`);
    return {
      type: 'object',
      properties: { name: { const: t.name }, arguments: { $ref: `#/$defs/${key}` } },
      required: ['name', 'arguments'],
      additionalProperties: false,
    };
  });
  return compileJsonSchema({ $defs: defs, oneOf: branches }, options);
}

function rebaseRefs(s: unknown, base: string): unknown {
  if (Array.isArray(s)) return s.map((x) => rebaseRefs(x, base));
  if (s === null || typeof s !== 'object') return s;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#')) out[k] = v === '#' ? base : base + v.slice(1);
    else if (k === 'enum' || k === 'const' || k === 'default' || k === 'examples') out[k] = v;
    else out[k] = rebaseRefs(v, base);
  }
  return out;
}
