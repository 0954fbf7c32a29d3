import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Token count for a cloud model's text, offline, with the real BPE the model family uses: o200k_base for the
 * GPT-4o/4.1/5 and o-series families, cl100k_base otherwise (GPT-4, GPT-3.5, and the usual stand-in for other
 * vendors, whose own tokenizers differ by a few percent). Used for pre-flight estimates and when a provider
 * does not report usage.
 */
export function estimateTokens(text: string, model: string): number {
  return /(gpt-4o|gpt-4\.1|gpt-5|\bo[134]\b|o[134]-|chatgpt-4o)/i.test(model) ? countO200k(text) : countCl100k(text);
}
