import { canonicalJson } from '../datasets/parseDatasetJsonl.js';
import { DatasetInvalidError } from '../datasets/DatasetInvalidError.js';
import type { DatasetCase } from '../datasets/DatasetCase.js';

export type FinetuneFormat = 'alpaca' | 'chat-jsonl';

export type FinetuneOptions = {
  /** Task instruction shared by all cases. Without it, a string input is itself the instruction (Alpaca's no-input form). */
  instruction?: string;
  /** System message for chat-jsonl. Default: none. */
  system?: string;
};

const asText = (v: unknown): string => (typeof v === 'string' ? v : canonicalJson(v));

/** The Alpaca prompt layout (with or without an input section), response included. */
export function alpacaText(instruction: string, input: string, response: string): string {
  return input
    ? `### Instruction:\n${instruction}\n\n### Input:\n${input}\n\n### Response:\n${response}`
    : `### Instruction:\n${instruction}\n\n### Response:\n${response}`;
}

/**
 * Exports cases as fine-tuning JSONL (one example per line, trailing newline):
 * - 'alpaca': `{instruction, input, output, text}` where `text` is the full
 *   `### Instruction: / ### Input: / ### Response:` layout (what trainers such as axolotl/unsloth consume);
 * - 'chat-jsonl': `{messages: [{role: 'system'?}, {role: 'user'}, {role: 'assistant'}]}` (OpenAI / HF chat format).
 * Object inputs and JSON expected values are serialised as canonical JSON (sorted keys), so a
 * model learns one stable output format. Every case needs `expected`.
 * @throws DatasetInvalidError listing (1-based) the cases without an expected output.
 */
export function exportFinetune(cases: readonly DatasetCase[], format: FinetuneFormat, options: FinetuneOptions = {}): string {
  const missing = cases.flatMap((c, i) => (c.expected === undefined ? [{ line: i + 1, message: `case "${c.id}" has no expected output to train on` }] : []));
  if (missing.length) throw new DatasetInvalidError('finetune-export', missing, `Cannot export for fine-tuning: ${missing.length} case(s) have no expected output (first: ${missing[0]!.message}).`);
  if (cases.length === 0) throw new DatasetInvalidError('finetune-export', []);
  return (
    cases
      .map((c) => {
        const input = asText(c.input);
        const output = asText(c.expected);
        const instruction = options.instruction ?? input;
        const inputPart = options.instruction === undefined ? '' : input;
        if (format === 'alpaca') return JSON.stringify({ instruction, input: inputPart, output, text: alpacaText(instruction, inputPart, output) });
        const user = options.instruction === undefined ? input : `${options.instruction}\n\n${input}`;
        const messages = [
          ...(options.system ? [{ role: 'system', content: options.system }] : []),
          { role: 'user', content: user },
          { role: 'assistant', content: output },
        ];
        return JSON.stringify({ messages });
      })
      .join('\n') + '\n'
  );
}
