import type { ChatMessage } from '../../../shared/schemas/generation.js';
import type { GenerateRequest } from '../llm/index.js';
import { buildChainOfThoughtPrompt } from './buildChainOfThoughtPrompt.js';
import { compileAnswerConstraint, type AnswerSpec } from './compileAnswerConstraint.js';
import type { GenerateFn } from './GenerateFn.js';
import { majorityVote } from './majorityVote.js';
import { NoConsensusError } from './NoConsensusError.js';

export interface SelfConsistencyOptions {
  /** The question or task. */
  prompt: string;
  /** Number of reasoning samples, 1..64. 5 is the usual sweet spot; cost grows linearly (see the ledger). */
  n: number;
  /** Sampling temperature of the reasoning step (the answer step is greedy). Must be > 0 for n > 1 to differ. */
  temperature: number;
  /** Sample i uses seed + i, so a run is reproducible and samples differ. */
  seed: number;
  /** The final answer's shape; it is generated under this constraint, so parsing cannot fail. */
  answer: AnswerSpec;
  generate: GenerateFn;
  /** Reasoning tokens per sample. Default 256. */
  maxTokens?: number;
  /** Tokens for the constrained answer step. Default 48; a truncated answer abstains from the vote. */
  answerMaxTokens?: number;
  /**
   * 'chat' (default): the reasoning is an assistant turn and the answer a second turn after "Now reply with
   * only the final answer." — what instruction-tuned models expect. 'raw': one completion prompt
   * (`buildChainOfThoughtPrompt`), the answer continues after "Answer:" (best for base models, and the shared
   * prefix is reused by llama.cpp's KV cache).
   */
  format?: 'chat' | 'raw';
  signal?: AbortSignal;
  /** Called after each sample, in order (for progress / streaming). */
  onSample?: (sample: SelfConsistencySample) => void;
}

export interface SelfConsistencySample {
  index: number;
  seed: number;
  reasoning: string;
  /** The raw constrained answer text. */
  answerText: string;
  /** The parsed answer (string for regex, JSON value for schema); undefined when the answer step was truncated. */
  answer: unknown;
  /** Vote key (normalised text or canonical JSON); undefined when truncated. */
  key: string | undefined;
  truncated: boolean;
  promptTokens: number;
  completionTokens: number;
}

export interface SelfConsistencyResult {
  /** The majority answer's parsed value (from the first sample that gave it). */
  answer: unknown;
  /** The majority vote key. */
  key: string;
  /** Votes for the majority / n (truncated samples count in the denominator). */
  agreement: number;
  counts: Record<string, number>;
  samples: SelfConsistencySample[];
  usage: { calls: number; promptTokens: number; completionTokens: number; costMicros: number | null };
}

const ANSWER_INSTRUCTION = 'Now reply with only the final answer.';

/**
 * Self-consistency (Wang et al. 2022): sample n chain-of-thought completions at `temperature`, extract each
 * final answer with a second, greedy, grammar-constrained step (regex or JSON Schema, via the constrain
 * service) so extraction never fails on free text, then take the majority vote (`majorityVote`).
 * Trade-offs: 2n generations instead of 1 (the answer steps are short); samples run sequentially because a
 * local model has one sequence. An answer cut off by `answerMaxTokens` abstains (counts against agreement);
 * if all abstain, `NoConsensusError`. Grammar or generation errors propagate unchanged.
 */
export async function selfConsistency(options: SelfConsistencyOptions): Promise<SelfConsistencyResult> {
  const { n, generate, signal } = options;
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new RangeError(`selfConsistency: n must be an integer in 1..64, got ${n}`);
  if (!(options.temperature >= 0)) throw new RangeError('selfConsistency: temperature must be >= 0');
  const constraint = compileAnswerConstraint(options.answer);
  const format = options.format ?? 'chat';
  const maxTokens = options.maxTokens ?? 256;
  const answerMaxTokens = options.answerMaxTokens ?? 48;
  const cot = buildChainOfThoughtPrompt({ question: options.prompt });
  const usage = { calls: 0, promptTokens: 0, completionTokens: 0, costMicros: null as number | null };
  const call = async (request: GenerateRequest) => {
    const r = await generate(signal === undefined ? request : { ...request, signal });
    usage.calls += 1;
    usage.promptTokens += r.promptTokens;
    usage.completionTokens += r.completionTokens;
    if (typeof r.costMicros === 'number') usage.costMicros = (usage.costMicros ?? 0) + r.costMicros;
    return r;
  };

  const samples: SelfConsistencySample[] = [];
  for (let i = 0; i < n; i++) {
    const seed = options.seed + i;
    const userTurn: ChatMessage = { role: 'user', content: cot };
    const reasoning = await call(
      format === 'chat'
        ? { messages: [userTurn], maxTokens, temperature: options.temperature, seed }
        : { prompt: cot, maxTokens, temperature: options.temperature, seed, stop: ['Answer:', '\nQuestion:'] },
    );
    const thought = reasoning.text.replace(/\s*Answer:\s*$/, '').trim();
    const answerRequest: GenerateRequest =
      format === 'chat'
        ? {
            messages: [userTurn, { role: 'assistant', content: thought }, { role: 'user', content: ANSWER_INSTRUCTION }],
            maxTokens: answerMaxTokens,
            temperature: 0,
            seed,
            grammar: constraint.grammar,
          }
        : { prompt: `${cot} ${thought}\nAnswer: `, maxTokens: answerMaxTokens, temperature: 0, seed, grammar: constraint.grammar };
    const answered = await call(answerRequest);
    const truncated = answered.finishReason === 'length';
    const parsed = truncated ? undefined : constraint.parse(answered.text);
    const sample: SelfConsistencySample = {
      index: i,
      seed,
      reasoning: thought,
      answerText: answered.text,
      answer: parsed?.value,
      key: parsed?.key,
      truncated,
      promptTokens: reasoning.promptTokens + answered.promptTokens,
      completionTokens: reasoning.completionTokens + answered.completionTokens,
    };
    samples.push(sample);
    options.onSample?.(sample);
  }
  const truncated = samples.filter((s) => s.truncated).length;
  if (truncated === n) throw new NoConsensusError(n, truncated);
  const vote = majorityVote(samples.map((s) => s.key), { normalize: (k) => k });
  const winner = samples.find((s) => s.key === vote.answer)!;
  return { answer: winner.answer, key: vote.answer, agreement: vote.agreement, counts: vote.counts, samples, usage };
}
