export interface BatchTasksOptions {
  /** JSON schema of ONE result. Default `{type: 'string'}`. */
  itemSchema?: Record<string, unknown>;
  /** Shared instructions placed once before the tasks (the point of batching: pay for them once). */
  instructions?: string;
  /**
   * Bounds each string in the GBNF to this many characters (unrolled nested optionals). Small local models can
   * otherwise run a string until maxTokens and never close the array. Default: unbounded.
   */
  maxStringChars?: number;
}

export interface BatchedPrompt {
  prompt: string;
  count: number;
  /** `{"type":"array","minItems":N,"maxItems":N,"items":…}` — for JSON-schema-constrained local generation. */
  schema: Record<string, unknown>;
  /**
   * The same, wrapped as `{"results": [...]}`: OpenAI-style structured outputs require an object at the root.
   * `splitBatch` accepts either shape.
   */
  objectSchema: Record<string, unknown>;
  /**
   * GBNF for exactly N elements, unrolled (no `{N}` repetition, which older llama.cpp builds lack). String items
   * get a strict JSON-string rule; other item schemas get a generic JSON value (compile `schema` with the constrain
   * service when the items themselves must be constrained).
   */
  grammar: string;
}

/** Upper bound on N: beyond this, answers degrade and one failure wastes the whole batch. */
export const MAX_BATCH = 256;

/**
 * Batches N small tasks into ONE prompt whose answer is a JSON array of exactly N results, element i answering
 * task i. Saves the repeated instructions and per-request overhead N−1 times; the price is that one bad answer
 * fails the batch (split with `splitBatch`, which is exact or throws). Throws RangeError for 0 or more than
 * MAX_BATCH tasks.
 */
export function batchTasks(tasks: readonly string[], options: BatchTasksOptions = {}): BatchedPrompt {
  const n = tasks.length;
  if (n < 1 || n > MAX_BATCH) throw new RangeError(`batchTasks needs 1..${MAX_BATCH} tasks, got ${n}`);
  const items = options.itemSchema ?? { type: 'string' };
  const schema = { type: 'array', minItems: n, maxItems: n, items };
  const lines = [
    ...(options.instructions ? [options.instructions.trim(), ''] : []),
    `There are ${n} tasks below. Answer every one of them.`,
    `Reply with ONLY a JSON array of exactly ${n} elements: element i is the answer to task i, in the same order.`,
    '',
    ...tasks.map((t, i) => `Task ${i + 1}: ${t.trim()}`),
  ];
  const item = items.type === 'string' ? 'string' : 'value';
  const elements = Array.from({ length: n }, (_, i) => (i === 0 ? `ws ${item}` : `"," ws ${item}`)).join(' ');
  const grammar = [
    `root ::= "[" ${elements} ws "]"`,
    'value ::= object | array | string | number | ("true" | "false" | "null")',
    'object ::= "{" ws ( string ws ":" ws value ( "," ws string ws ":" ws value )* )? ws "}"',
    'array ::= "[" ws ( value ( "," ws value )* )? ws "]"',
    options.maxStringChars === undefined ? 'string ::= "\\"" char* "\\""' : `string ::= "\\"" ${boundedChars(Math.max(0, Math.floor(options.maxStringChars)))} "\\""`,
    'char ::= [^"\\\\\\x7F\\x00-\\x1F] | "\\\\" ( ["\\\\/bfnrt] | "u" [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F] )',
    'number ::= "-"? ( [0-9] | [1-9] [0-9]* ) ( "." [0-9]+ )? ( [eE] [-+]? [0-9]+ )?',
    'ws ::= ( " " | "\\n" )?',
  ].join('\n');
  return {
    prompt: lines.join('\n'),
    count: n,
    schema,
    objectSchema: { type: 'object', properties: { results: schema }, required: ['results'], additionalProperties: false },
    grammar,
  };
}

/** `( char ( char ( … )? )? )?` — at most `n` chars, without the `{0,n}` syntax. */
function boundedChars(n: number): string {
  let rule = '';
  for (let i = 0; i < n; i++) rule = rule === '' ? '( char )?' : `( char ${rule} )?`;
  return rule;
}
