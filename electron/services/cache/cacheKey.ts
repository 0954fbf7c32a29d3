import { createHash } from 'node:crypto';
import type { CacheKeyInput } from './CacheKeyInput.js';

/** Bump when the key recipe changes, so old entries simply stop matching. */
const KEY_VERSION = 'hearth-cache-v2';

/** The cache's view of one request: the exact key, the scope shared by semantic neighbours, and the normalised text. */
export interface CacheKey {
  /** sha256(scope + normalised prompt): the exact-match key. */
  key: string;
  /**
   * sha256 of everything but the paraphrasable text (model, schema/grammar hash, corpus version, params, and the
   * prompt around `semanticText`): semantic hits stay inside one scope.
   */
  scope: string;
  /** The normalised prompt text. */
  text: string;
  /** What is embedded for semantic lookup (see `CacheKeyInput.semanticText`). */
  semanticText: string;
  /**
   * Whether similarity may serve this request. False for constrained output (schema or grammar) unless a
   * `semanticText` hint was found: extraction derives values from the exact input, and an input that differs in one
   * number ("total 1,234.56" vs "1,234.57") embeds as a near-duplicate. Exact hits are always allowed.
   */
  semantic: boolean;
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
  const { semanticText, context, hinted } = splitSemantic(input, text);
  const constrained = (input.schemaHash ?? null) !== null || (input.grammarHash ?? null) !== null;
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
      context,
    ]),
  );
  return {
    key: sha256(`${scope}\n${text}`),
    scope,
    text,
    semanticText,
    semantic: !constrained || hinted,
    cacheable: p.temperature === 0 || p.seed !== undefined,
  };
}

/** The paraphrasable part and the exact context around it (hashed into the scope). */
function splitSemantic(input: CacheKeyInput, text: string): { semanticText: string; context: string | null; hinted: boolean } {
  const hint = normalisePromptText(input.semanticText ?? '');
  if (hint !== '') {
    const at = text.lastIndexOf(hint);
    if (at >= 0) return { semanticText: hint, context: sha256(`${text.slice(0, at)}\u0000${text.slice(at + hint.length)}`), hinted: true };
  }
  const messages = input.messages;
  if (messages !== undefined && messages.length > 0) {
    const last = messages[messages.length - 1]!;
    const before = messages.slice(0, -1).map((m) => `<|${m.role}|>\n${normalisePromptText(m.content)}`);
    return { semanticText: normalisePromptText(last.content), context: sha256(JSON.stringify([...before, last.role])), hinted: false };
  }
  return { semanticText: text, context: null, hinted: false };
}

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}
