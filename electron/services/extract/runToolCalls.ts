import type { LlmProvider } from '../llm/index.js';
import { SchemaInvalidError, type ToolDefinition } from '../constrain/index.js';
import { extract } from './extract.js';
import { ToolRoundsExceededError } from './ToolRoundsExceededError.js';

/** A tool the loop can execute: its definition plus the implementation. */
export interface ToolImplementation extends ToolDefinition {
  run(args: unknown, signal?: AbortSignal): unknown;
}

/** The reserved pseudo-tool through which the model answers and ends the loop. */
export const FINAL_ANSWER_TOOL = 'final_answer';

export interface RunToolCallsOptions {
  provider: LlmProvider;
  tools: ToolImplementation[];
  /** What the model should achieve. */
  task: string;
  /** JSON Schema of the final answer's arguments. Default `{answer: string}`. */
  answerSchema?: unknown;
  /**
   * Most tool executions before the limit applies. Default 4. Every round costs a full generation plus the
   * tool, and small models loop (call the same tool again and again), so the cap is always on.
   */
  maxRounds?: number;
  /**
   * What happens when the model wants another tool call after `maxRounds`:
   * - 'answer' (default): one more generation whose grammar only allows the final answer (costs one round,
   *   always ends with an answer from a local model);
   * - 'stop': return at once with `stopReason: 'max-rounds'` and no answer;
   * - 'throw': `ToolRoundsExceededError`.
   */
  onRoundLimit?: 'answer' | 'stop' | 'throw';
  temperature?: number;
  seed?: number;
  /** Per generation. Default 256. */
  maxTokens?: number;
  signal?: AbortSignal;
}

export interface ToolCallsResult {
  /** The final answer's arguments; null when stopped by the round limit. */
  answer: unknown;
  stopReason: 'answer' | 'forced-answer' | 'max-rounds';
  calls: { name: string; arguments: unknown; result: unknown }[];
  /** Generations made (tool calls + the answer). */
  generations: number;
  promptTokens: number;
  completionTokens: number;
  durationMs: number;
}

/**
 * A bounded tool-calling loop on top of `extract`: each generation is constrained (locally by grammar) to one
 * call `{"name", "arguments"}` of the given tools or of `final_answer`; a tool call is executed and its result
 * appended to the transcript for the next generation; `final_answer` ends the loop. A tool that throws ends
 * the loop with its error (wrap the tool yourself to feed failures back to the model as data instead).
 */
export async function runToolCalls(options: RunToolCallsOptions): Promise<ToolCallsResult> {
  const maxRounds = options.maxRounds ?? 4;
  if (!Number.isInteger(maxRounds) || maxRounds < 0) throw new SchemaInvalidError('maxRounds', '', 'maxRounds must be a non-negative integer');
  const byName = new Map(options.tools.map((t) => [t.name, t]));
  if (byName.has(FINAL_ANSWER_TOOL)) throw new SchemaInvalidError('name', '', `"${FINAL_ANSWER_TOOL}" is reserved for the answer`);
  const finalTool: ToolDefinition = {
    name: FINAL_ANSWER_TOOL,
    description: 'Give the final answer and stop.',
    parameters: options.answerSchema ?? { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false },
  };
  const definitions: ToolDefinition[] = options.tools.map(({ name, description, parameters }) => ({ name, parameters, ...(description === undefined ? {} : { description }) }));
  const onLimit = options.onRoundLimit ?? 'answer';
  const started = performance.now();
  const calls: ToolCallsResult['calls'] = [];
  let generations = 0;
  let promptTokens = 0;
  let completionTokens = 0;
  const done = (answer: unknown, stopReason: ToolCallsResult['stopReason']): ToolCallsResult => ({
    answer,
    stopReason,
    calls,
    generations,
    promptTokens,
    completionTokens,
    durationMs: performance.now() - started,
  });

  // bounded: at most maxRounds tool executions, then one generation that must answer (or hits the limit)
  for (let round = 0; round <= maxRounds; round += 1) {
    const forceAnswer = calls.length >= maxRounds;
    const allowed = forceAnswer && onLimit === 'answer' ? [finalTool] : [...definitions, finalTool];
    const r = await extract<{ name: string; arguments: unknown }>({
      target: { kind: 'tools', tools: allowed },
      provider: options.provider,
      instructions: `${options.task}\nTools: ${allowed.map((t) => `${t.name}${t.description === undefined ? '' : ` — ${t.description}`}`).join('; ')}.\nCall one tool, or ${FINAL_ANSWER_TOOL} when you can answer.`,
      input: transcript(calls),
      maxTokens: options.maxTokens ?? 256,
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
      ...(options.seed === undefined ? {} : { seed: options.seed + round }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    generations += 1;
    promptTokens += r.promptTokens;
    completionTokens += r.completionTokens;
    const { name, arguments: args } = r.value;
    if (name === FINAL_ANSWER_TOOL) return done(args, forceAnswer ? 'forced-answer' : 'answer');
    if (calls.length >= maxRounds) {
      if (onLimit === 'throw') throw new ToolRoundsExceededError(maxRounds, [...calls, { name, arguments: args }]);
      return done(null, 'max-rounds');
    }
    const tool = byName.get(name);
    if (tool === undefined) throw new SchemaInvalidError('name', '', `the model called unknown tool "${name}"`);
    calls.push({ name, arguments: args, result: await tool.run(args, options.signal) });
  }
  // not reached: round maxRounds either answers or hits the limit above
  throw new ToolRoundsExceededError(maxRounds, calls);
}

function transcript(calls: ToolCallsResult['calls']): string {
  if (calls.length === 0) return '(no tool calls yet)';
  return calls.map((c, i) => `Call ${i + 1}: ${c.name}(${JSON.stringify(c.arguments)}) → ${JSON.stringify(c.result)}`).join('\n');
}
