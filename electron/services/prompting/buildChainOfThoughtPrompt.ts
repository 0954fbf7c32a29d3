export type WorkedExample = { question: string; reasoning: string; answer: string };

export type ChainOfThoughtOptions = {
  question: string;
  /** Worked examples showing the reasoning style. Zero examples gives zero-shot CoT ("think step by step"). */
  examples?: readonly WorkedExample[];
  /** Extra instruction at the top. */
  instruction?: string;
  /** The marker the final answer follows; `extractFinalAnswer` looks for it. Default "Answer:". */
  answerMarker?: string;
};

/**
 * Chain-of-thought prompt: worked examples as "Question / Reasoning / Answer:" blocks, then the
 * question and an open "Reasoning:" for the model. The fixed answer marker lets
 * `extractFinalAnswer` pull the answer out for scoring and for self-consistency voting.
 * Trade-off: CoT costs many more output tokens (see the ledger); on tiny models it can hurt.
 */
export function buildChainOfThoughtPrompt(options: ChainOfThoughtOptions): string {
  const marker = options.answerMarker ?? 'Answer:';
  const head = (options.instruction ?? 'Answer the question. Think step by step, then give the final answer').trim();
  const parts = [`${head} on a last line starting with "${marker}".`];
  for (const ex of options.examples ?? []) {
    parts.push(`Question: ${ex.question}\nReasoning: ${ex.reasoning.trim()}\n${marker} ${ex.answer}`);
  }
  parts.push(`Question: ${options.question}\nReasoning:`);
  return parts.join('\n\n');
}

/** The text after the last answer marker (trimmed, first line), or undefined when the model never gave one. */
export function extractFinalAnswer(completion: string, answerMarker = 'Answer:'): string | undefined {
  const i = completion.lastIndexOf(answerMarker);
  if (i < 0) return undefined;
  const rest = completion.slice(i + answerMarker.length).trim();
  return rest.split('\n')[0]!.trim();
}
