import { createHash } from 'node:crypto';
import type { CacheKeyInput } from './CacheKeyInput.js';

/** Bump when the key recipe changes, so old entries simply stop matching. */
const KEY_VERSION = 'hearth-cache-v1';

/** The cache's view of one request: the exact key, the scope shared by semantic neighbours, and the normalised text. */
export interface CacheKey {
  /** sha256(scope + normalised prompt): the exact-match key. */
  key: string;
  /** sha256 of everything but the prompt (model, schema/grammar hash, corpus version, params): semantic hits stay inside one scope. */
  scope: string;
  /** The normalised prompt text (what is embedded for semantic lookup). */
  text: string;
  /** False for sampled requests (temperature > 0 without a seed): their answers are draws, not facts to replay. */
  cacheable: boolean;
}

/**
 * Normalisation is deliberately conservative: Unicode NFC, CRLF → LF, trailing spaces per line and leading/trailing
 * blank space trimmed. Case, inner whitespace and punctuation are kept — they change answers (code, quoted text);
 * the semantic layer absorbs paraphrases instead.
 */
export function normalisePromptText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/u, ''))
    .join('\n')
    .trim();
}

/**
 * Computes the cache key. Caching policy: a request is cacheable when temperature is 0 (greedy decoding is
 * deterministic up to floating-point noise) or when a seed is given (the caller asked for a reproducible draw);
 * `temperature > 0` without a seed is NOT cached, since replaying one sample would silently remove the
 * variety the caller asked for.
 */
export function cacheKey(input: CacheKeyInput): CacheKey {
  const text =
    input.messages !== undefined
      ? input.messages.map((m) => `<|${m.role}|>\n${normalisePromptText(m.content)}`).join('\n')
      : normalisePromptText(input.prompt ?? '');
  const p = input.params;
  const scope = sha256(
    JSON.stringify([
      KEY_VERSION,
      input.model,
      input.schemaHash ?? null,
      input.grammarHash ?? null,
      input.corpusVersion ?? null,
      p.maxTokens,
      p.temperature,
      p.topK ?? null,
      p.topP ?? null,
      p.seed ?? null,
      p.stop ?? [],
    ]),
  );
  return { key: sha256(`${scope}\n${text}`), scope, text, cacheable: p.temperature === 0 || p.seed !== undefined };
}

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}
