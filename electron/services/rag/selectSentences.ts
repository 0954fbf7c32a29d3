import type { ChatMessage } from '../../../shared/schemas/generation.js';
import type { GenerateRequest } from '../llm/index.js';
import type { PipelineResult } from '../routing/index.js';
import { wrapUntrustedDocument } from '../prompting/index.js';

/** A candidate sentence for LLM-chosen compression. */
export interface CandidateSentence {
  /** 1-based id shown to the model as `S<id>`. */
  id: number;
  text: string;
}

export interface SelectSentencesOptions {
  generate: (request: GenerateRequest) => Promise<PipelineResult>;
  /** Most sentences the model may keep. Default: all candidates. */
  maxKeep?: number;
  signal?: AbortSignal;
  seed?: number;
}

export interface SelectSentencesResult {
  /** Chosen ids in ascending order, without duplicates; never empty. */
  ids: number[];
  call: PipelineResult;
}

/**
 * GBNF for a comma-separated list of 1..maxKeep sentence ids, each an alternation of exactly the candidate ids:
 * the model's choice can only point at sentences that exist, so compression cannot invent or alter text.
 */
export function sentenceChoiceGrammar(ids: readonly number[], maxKeep: number): string {
  if (ids.length === 0) throw new RangeError('no candidate sentences');
  const sid = ids.map((i) => `"S${i}"`).join(' | ');
  const lines = [`root ::= sid${maxKeep > 1 ? ` more${maxKeep - 1}` : ''}`, `sid ::= ${sid}`];
  // nested optional chain bounds the list length without llama.cpp's {m,n} (same shape regexToGbnf emits)
  for (let n = 1; n < maxKeep; n++) lines.push(`more${n} ::= (", " sid${n > 1 ? ` more${n - 1}` : ''})?`);
  return lines.join('\n') + '\n';
}

/**
 * LLM-chosen contextual compression: the model reads the numbered candidate sentences and answers with the ids
 * worth keeping, under {@link sentenceChoiceGrammar}. Costs one short model call (about 3 tokens per kept id);
 * catches sentences whose relevance depends on a neighbour, which embedding similarity misses.
 */
export async function selectSentences(question: string, candidates: readonly CandidateSentence[], options: SelectSentencesOptions): Promise<SelectSentencesResult> {
  const maxKeep = Math.max(1, Math.min(options.maxKeep ?? candidates.length, candidates.length));
  const listing = candidates.map((c) => `S${c.id}: ${c.text.replace(/\s+/g, ' ')}`).join('\n');
  const messages: ChatMessage[] = [
    { role: 'system', content: 'You select the sentences needed to answer a question. Reply only with sentence ids like "S1, S4".' },
    { role: 'user', content: `${wrapUntrustedDocument(listing, { label: 'the candidate sentences' })}\n\nQuestion: ${question}\nIds of the sentences needed:` },
  ];
  const call = await options.generate({
    messages,
    grammar: sentenceChoiceGrammar(candidates.map((c) => c.id), maxKeep),
    maxTokens: 4 * maxKeep + 4,
    temperature: 0,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const valid = new Set(candidates.map((c) => c.id));
  const ids = [...new Set([...call.text.matchAll(/S(\d+)/g)].map((m) => Number(m[1])).filter((n) => valid.has(n)))].sort((a, b) => a - b);
  // a cut-off reply (maxTokens, cancel) may hold no complete id: keep everything rather than answer from nothing
  return { ids: ids.length > 0 ? ids : [...valid].sort((a, b) => a - b), call };
}
