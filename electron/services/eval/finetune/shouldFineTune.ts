import type { DatasetCase } from '../datasets/DatasetCase.js';
import { flattenJson } from '../metrics/index.js';

export type FineTuneAdvice = {
  recommendation: 'fine-tune' | 'prompt-first' | 'need-more-data' | 'use-retrieval';
  taskType: 'format' | 'knowledge' | 'mixed';
  reasons: string[];
  stats: {
    cases: number;
    withExpected: number;
    /** Share of outputs with the most common shape (JSON key set, or label/sentence/multi-line text). */
    outputConsistency: number;
    /** Distinct outputs / cases: low means a classification-like task. */
    distinctOutputRatio: number;
    /** Mean share of output words that also occur in the input (high = extraction/transformation). */
    inputCopyRate: number;
  };
};

/** Below this many examples a LoRA fine-tune mostly memorises; few-shot prompting is the better tool. */
export const MIN_FINETUNE_CASES = 50;

const words = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

function shape(expected: unknown): string {
  if (expected !== null && typeof expected === 'object') return 'json:' + [...new Set(flattenJson(expected, { arrays: 'multiset' }).map(([p]) => p))].sort().join(',');
  const s = String(expected);
  if (s.includes('\n')) return 'text:multiline';
  return words(s).length <= 3 ? 'text:label' : 'text:sentence';
}

/**
 * "Should I fine-tune?" from a dataset, with the reasoning spelled out. Heuristics (stated so a user
 * can disagree): fine-tuning teaches *format and behaviour* (consistent structure, labels,
 * style), not *facts* — new knowledge belongs in retrieval. So:
 * - fewer than 50 examples → need more data (use few-shot prompting meanwhile);
 * - outputs mostly not grounded in the inputs (copy rate < 0.3) and free text → knowledge task → use retrieval;
 * - a format task (JSON outputs, labels, or copy rate ≥ 0.6) with consistent output shape (≥ 80%) → fine-tune is a good fit;
 * - otherwise → try prompting first and fix the dataset's inconsistency.
 */
export function shouldFineTune(cases: readonly DatasetCase[]): FineTuneAdvice {
  const labelled = cases.filter((c) => c.expected !== undefined);
  const n = labelled.length;
  const shapes = new Map<string, number>();
  for (const c of labelled) shapes.set(shape(c.expected), (shapes.get(shape(c.expected)) ?? 0) + 1);
  const modal = [...shapes.entries()].sort((x, y) => y[1] - x[1])[0];
  const outputConsistency = n === 0 ? 0 : modal![1] / n;
  const distinct = new Set(labelled.map((c) => JSON.stringify(c.expected))).size;
  const distinctOutputRatio = n === 0 ? 0 : distinct / n;
  let copySum = 0;
  for (const c of labelled) {
    const inWords = new Set(words(typeof c.input === 'string' ? c.input : JSON.stringify(c.input)));
    const outWords = words(typeof c.expected === 'string' ? c.expected : JSON.stringify(flattenJson(c.expected).map(([, v]) => v)));
    copySum += outWords.length === 0 ? 1 : outWords.filter((w) => inWords.has(w)).length / outWords.length;
  }
  const inputCopyRate = n === 0 ? 0 : copySum / n;
  const jsonShare = n === 0 ? 0 : labelled.filter((c) => c.expected !== null && typeof c.expected === 'object').length / n;
  const labelLike = distinctOutputRatio <= 0.2 && n >= 10;
  const taskType: FineTuneAdvice['taskType'] =
    jsonShare >= 0.8 || labelLike || inputCopyRate >= 0.6 ? 'format' : inputCopyRate < 0.3 ? 'knowledge' : 'mixed';

  const reasons: string[] = [];
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  reasons.push(
    `${n} of ${cases.length} cases have an expected output; ${pct(outputConsistency)} share the most common output shape (${modal?.[0] ?? 'none'}); ` +
      `${distinct} distinct outputs; on average ${pct(inputCopyRate)} of output words appear in the input.`,
  );
  let recommendation: FineTuneAdvice['recommendation'];
  if (n < MIN_FINETUNE_CASES) {
    recommendation = 'need-more-data';
    reasons.push(`Only ${n} labelled examples: below ${MIN_FINETUNE_CASES}, a fine-tune mostly memorises them. Use few-shot prompting and keep collecting examples.`);
  } else if (taskType === 'knowledge') {
    recommendation = 'use-retrieval';
    reasons.push('Outputs are mostly not found in the inputs, so the model must supply facts: fine-tuning is unreliable at adding knowledge and goes stale. Put the facts in documents and use retrieval.');
  } else if (taskType === 'format' && outputConsistency >= 0.8) {
    recommendation = 'fine-tune';
    reasons.push(
      `This is a format task (${jsonShare >= 0.8 ? 'JSON outputs' : labelLike ? 'a small set of labels' : 'outputs copied from the input'}) with a consistent output shape: a small LoRA fine-tune can make a small local model reliable and cut prompt length. Compare it against the few-shot prompt with an A/B run first.`,
    );
  } else {
    recommendation = 'prompt-first';
    reasons.push(
      outputConsistency < 0.8
        ? `Output shapes are inconsistent (${pct(outputConsistency)} share the main shape): a fine-tune would learn the inconsistency. Clean the dataset, or prompt with examples and constrained decoding.`
        : 'The task mixes copying from the input with new text; prompting with few-shot examples (and retrieval) is cheaper to try first.',
    );
  }
  return { recommendation, taskType, reasons, stats: { cases: cases.length, withExpected: n, outputConsistency, distinctOutputRatio, inputCopyRate } };
}
