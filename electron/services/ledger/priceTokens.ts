import { Micros } from './Micros.js';

/** One price row in force: integer µ$ per 1M tokens. `cachedInputPer1M: null` = no cache discount. */
export interface TokenRate {
  inputPer1M: number;
  outputPer1M: number;
  cachedInputPer1M: number | null;
}

export interface TokenCost {
  promptMicros: number;
  completionMicros: number;
  totalMicros: number;
}

/**
 * Prices a token count exactly. Cached tokens are a SUBSET of `promptTokens` (OpenAI's and
 * LiteLLM's convention: `prompt_tokens` includes `cached_tokens`), so the prompt component is
 * `(prompt - cached) * input + cached * cached_input` where `cached_input` falls back to the
 * input rate when the model has no cache-read price (LiteLLM does the same). Each component is
 * an exact rational rounded half-up once to the micro-dollar; total = prompt + completion.
 */
export function priceTokens(
  rate: TokenRate,
  tokens: { promptTokens: number; completionTokens: number; cachedTokens?: number },
): TokenCost {
  const cached = tokens.cachedTokens ?? 0;
  // Checked one by one (no tuple array): this runs once per recorded request and per shadow price.
  checkCount('promptTokens', tokens.promptTokens);
  checkCount('completionTokens', tokens.completionTokens);
  checkCount('cachedTokens', cached);
  if (cached > tokens.promptTokens) {
    throw new RangeError(`cachedTokens (${cached}) cannot exceed promptTokens (${tokens.promptTokens})`);
  }
  const cachedRate = rate.cachedInputPer1M ?? rate.inputPer1M;
  const promptNum = (tokens.promptTokens - cached) * rate.inputPer1M + cached * cachedRate;
  const completionNum = tokens.completionTokens * rate.outputPer1M;
  // Fast path: integer products below 2^53 are exact in doubles, and so is the half-up division.
  if (Number.isSafeInteger(promptNum) && Number.isSafeInteger(completionNum)) {
    const promptMicros = divPer1MHalfUp(promptNum);
    const completionMicros = divPer1MHalfUp(completionNum);
    return { promptMicros, completionMicros, totalMicros: promptMicros + completionMicros };
  }
  const promptBig = BigInt(tokens.promptTokens - cached) * BigInt(rate.inputPer1M) + BigInt(cached) * BigInt(cachedRate);
  const promptMicros = Number(Micros.divRoundHalfUp(promptBig, 1_000_000n));
  const completionMicros = Number(
    Micros.divRoundHalfUp(BigInt(tokens.completionTokens) * BigInt(rate.outputPer1M), 1_000_000n),
  );
  return { promptMicros, completionMicros, totalMicros: promptMicros + completionMicros };
}

function checkCount(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
}

/** `n / 1e6` rounded half-up, for a non-negative safe integer n (exact: remainder is an integer). */
function divPer1MHalfUp(n: number): number {
  const r = n % 1_000_000;
  return (n - r) / 1_000_000 + (r >= 500_000 ? 1 : 0);
}
