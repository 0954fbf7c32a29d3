import { createHash, randomUUID } from 'node:crypto';
import { isAppError } from '../../../shared/errors.js';
import type { GenerateResult } from '../../../shared/schemas/generation.js';
import type { CacheKeyInput, ResponseCache } from '../cache/index.js';
import type { GenerateRequest, LlmProvider } from '../llm/index.js';
import type { AttemptSummary } from './AttemptSummary.js';
import type { BudgetGate } from './BudgetGate.js';
import { NoProvidersError } from './NoProvidersError.js';
import type { Pricer } from './Pricer.js';
import type { RecordedRequest, RequestRecorder } from './RequestRecorder.js';
import { RequestCancelledError } from './RequestCancelledError.js';
import { RequestFailedError, type StopReason } from './RequestFailedError.js';
import { RetryPolicy } from './RetryPolicy.js';
import { replayChunks } from './replayChunks.js';

export interface RequestPipelineOptions {
  recorder: RequestRecorder;
  /** Pre-flight budget check; absent = no budgets. */
  budget?: BudgetGate;
  /** Prices attempts (ledger cost, dollar cap, cache savings); absent = everything unpriced. */
  pricer?: Pricer;
  /** Response cache; absent = no caching. */
  cache?: ResponseCache;
  /** Default policy when a call gives none. Default `new RetryPolicy()`. */
  retry?: RetryPolicy;
  /** Request id generator. Default crypto.randomUUID. */
  newId?: () => string;
}

export interface PipelineCallOptions {
  userId: string;
  projectId?: string | null;
  /** Feature making the call: chat, extract, eval... */
  endpoint: string;
  /** Hash of the GBNF grammar; computed (sha256) from `request.grammar` when omitted. */
  grammarHash?: string | null;
  /** Hash of the JSON schema the output must satisfy. */
  schemaHash?: string | null;
  /** The fallback chain, in order. */
  providers: readonly LlmProvider[];
  retry?: RetryPolicy;
  signal?: AbortSignal;
  /**
   * Cache scope for this call. `bypass: true` neither reads nor writes the cache. `semanticText`: the paraphrasable
   * part of the prompt (e.g. the user's question in a RAG prompt; see `CacheKeyInput.semanticText`).
   */
  cache?: { corpusVersion?: string | null; docIds?: readonly string[]; ttlMs?: number; bypass?: boolean; semanticText?: string | null };
}

export interface PipelineResult extends GenerateResult {
  /** The logical request's id: the first attempt's id (every retry/fallback row points at it), or the cache-hit row's id. */
  requestId: string;
  attempts: AttemptSummary[];
  /** providerId that answered (for a cache hit: the one that originally answered). */
  provider: string;
  cacheHit: boolean;
  cacheKind: 'exact' | 'semantic' | null;
  /**
   * What this request cost, every attempt included (failed attempts that were billed count too); null when nothing
   * was priced. For a cache hit: 0 spent — `savedMicros` holds what the miss would have cost.
   */
  costMicros: number | null;
  savedMicros: number | null;
}

/**
 * Codes that mean "this provider cannot serve now" even when retrying it is pointless: the chain moves on to the
 * next provider instead of failing the request. (A 400 is about the request itself and would fail everywhere, so
 * PROVIDER_ERROR falls back only for 401/403/404 — a key, permission or model-name problem of that provider.)
 */
const PROVIDER_DOWN = new Set<string>([
  'PROVIDER_UNAVAILABLE', 'RATE_LIMITED', 'TIMEOUT', 'MODEL_NOT_LOADED', 'MODEL_NOT_FOUND', 'MODEL_LOAD_FAILED',
  'MODEL_CORRUPT', 'MODEL_TOO_LARGE', 'NETWORK_BLOCKED', 'SCHEMA_UNSUPPORTED',
]);

/**
 * The ONE instrumented path every generation takes: budget pre-flight → cache → provider 1 with retries → fallbacks
 * → ledger. EVERY attempt becomes a ledger row (LiteLLM and Instructor record only the last retry, which hides what
 * flaky providers really cost): attempt numbers count across the chain and `parentRequestId` points at the first
 * attempt. A cache hit is one row with `cacheHit: true` and the cost the miss would have had.
 *
 * Decisions and trade-offs:
 * - The budget check runs before the cache lookup (as specified), so an exhausted budget blocks even a free cache
 *   hit; it is checked again, with that provider's model and tokenizer, before the first attempt on each fallback.
 * - A failed attempt is billed as 0 tokens except TIMEOUT, CANCELLED and a malformed 200 body, where the server had
 *   the prompt and may have charged for it: those are recorded with the counted prompt tokens (conservative).
 * - The dollar cap (`RetryPolicy.maxCostMicros`) covers the whole logical request: it also stops a fallback whose
 *   worst case would push the spend past it. The first attempt is always made; budgets guard that.
 * - `onTextChunk` sees the chunks of every attempt: a retried attempt restarts the stream from scratch.
 * - A cache write failure (CacheStorageError) is thrown after the attempt has been recorded — the money is
 *   accounted for, and a broken cache is not hidden.
 * - A cache hit is replayed through `onTextChunk` in a few chunks (see `replayChunks`) before it returns, so streaming
 *   UIs need no special case; its completionTokens rise proportionally and tokensPerSecond is 0 (nothing decoded).
 */
export class RequestPipeline {
  private readonly newId: () => string;

  constructor(private readonly options: RequestPipelineOptions) {
    this.newId = options.newId ?? randomUUID;
  }

  async generate(request: GenerateRequest, call: PipelineCallOptions): Promise<PipelineResult> {
    const providers = call.providers;
    const primary = providers[0];
    if (primary === undefined) throw new NoProvidersError(call.endpoint);
    const policy = call.retry ?? this.options.retry ?? new RetryPolicy();
    const signal = call.signal ?? request.signal;
    if (signal?.aborted) throw new RequestCancelledError('preflight', signal.reason);
    const projectId = call.projectId ?? null;
    const promptText = request.messages !== undefined ? request.messages.map((m) => m.content).join('\n') : (request.prompt ?? '');
    const grammarHash = call.grammarHash ?? (request.grammar !== undefined ? sha256(request.grammar) : null);
    const schemaHash = call.schemaHash ?? null;
    const base = { userId: call.userId, projectId, endpoint: call.endpoint, grammarHash, schemaHash };

    // 1. budget pre-flight, before anything leaves the process
    const promptTokensByProvider = new Map<LlmProvider, number>();
    const preflight = async (provider: LlmProvider): Promise<number> => {
      const promptTokens = await provider.countTokens(promptText);
      promptTokensByProvider.set(provider, promptTokens);
      this.options.budget?.check({ userId: call.userId, projectId, model: provider.model, provider: provider.providerId, promptTokens, maxCompletionTokens: request.maxTokens });
      return promptTokens;
    };
    await preflight(primary);

    // 2. cache
    const cache = call.cache?.bypass ? undefined : this.options.cache;
    const cacheInput = (model: string): CacheKeyInput => ({
      model,
      ...(request.messages !== undefined ? { messages: request.messages } : { prompt: request.prompt ?? '' }),
      schemaHash,
      grammarHash,
      corpusVersion: call.cache?.corpusVersion ?? null,
      semanticText: call.cache?.semanticText ?? null,
      params: { maxTokens: request.maxTokens, temperature: request.temperature, topK: request.topK, topP: request.topP, seed: request.seed, stop: request.stop },
    });
    if (cache !== undefined) {
      const started = performance.now();
      for (let i = 0; i < providers.length; i++) {
        const hit = await cache.lookup(cacheInput(providers[i]!.model), { countMiss: i === providers.length - 1 });
        if (hit === null) continue;
        const saved = this.savedBy(hit);
        const requestId = this.newId();
        // replay the answer through the token path, so a UI that renders the stream behaves the same for hits and misses
        if (request.onTextChunk !== undefined) await replay(hit.text, hit.completionTokens, request.onTextChunk, signal);
        const latencyMs = performance.now() - started;
        this.options.recorder.record({
          ...base, requestId, parentRequestId: null, attempt: 1, ts: policy.now(), provider: hit.provider, model: hit.model,
          promptTokens: hit.promptTokens, completionTokens: hit.completionTokens, cachedTokens: 0, latencyMs, status: 'ok',
          errorCode: null, cacheHit: true, ...(saved === null ? {} : { costMicros: saved }),
        });
        return {
          text: hit.text, promptTokens: hit.promptTokens, completionTokens: hit.completionTokens, durationMs: latencyMs,
          firstTokenMs: null, tokensPerSecond: 0, finishReason: hit.finishReason, model: hit.model,
          requestId, provider: hit.provider, cacheHit: true, cacheKind: hit.kind, costMicros: 0, savedMicros: saved,
          attempts: [{ requestId, attempt: 1, provider: hit.provider, model: hit.model, status: 'ok', errorCode: null, latencyMs,
            promptTokens: hit.promptTokens, completionTokens: hit.completionTokens, costMicros: 0, waitedMs: 0 }],
        };
      }
    }

    // 3. attempts: provider 1 with retries, then each fallback
    const attempts: AttemptSummary[] = [];
    let firstId: string | null = null;
    let spent = 0;
    let anyPriced = false;
    let lastError: unknown = null;
    let stopReason: StopReason = 'attempts-exhausted';
    chain: for (let p = 0; p < providers.length; p++) {
      const provider = providers[p]!;
      const promptTokens = promptTokensByProvider.get(provider) ?? (await preflight(provider));
      const worstCase = this.price(provider.model, promptTokens, request.maxTokens);
      if (p > 0 && worstCase !== null && spent + worstCase > policy.maxCostMicros) {
        stopReason = 'cost-cap';
        break;
      }
      let waitedMs = 0;
      for (let n = 1; ; n++) {
        const requestId = this.newId();
        firstId ??= requestId;
        const attempt = attempts.length + 1;
        const ts = policy.now();
        const started = performance.now();
        let result: GenerateResult | undefined;
        let error: unknown;
        try {
          result = await provider.generate({ ...request, signal });
        } catch (err) {
          error = err;
        }
        const latencyMs = performance.now() - started;
        const row: RecordedRequest = {
          ...base, requestId, parentRequestId: requestId === firstId ? null : firstId, attempt, ts,
          provider: provider.providerId, model: provider.model, promptTokens: 0, completionTokens: 0, cachedTokens: 0, latencyMs,
          status: 'ok', errorCode: null, cacheHit: false,
        };
        if (result !== undefined) {
          row.promptTokens = result.promptTokens;
          row.completionTokens = result.completionTokens;
        } else {
          const cancelled = signal?.aborted === true || (isAppError(error) && error.code === 'CANCELLED');
          row.status = cancelled ? 'cancelled' : 'error';
          row.errorCode = isAppError(error) ? error.code : 'INTERNAL';
          row.promptTokens = billedOnFailure(error) ? promptTokens : 0;
        }
        const cost = this.price(row.model, row.promptTokens, row.completionTokens);
        if (cost !== null) {
          row.costMicros = cost;
          spent += cost;
          anyPriced = true;
        }
        this.options.recorder.record(row);
        attempts.push({
          requestId, attempt, provider: row.provider, model: row.model, status: row.status, errorCode: row.errorCode, latencyMs,
          promptTokens: row.promptTokens, completionTokens: row.completionTokens, costMicros: cost, waitedMs,
        });

        if (result !== undefined) {
          if (cache !== undefined) {
            await cache.store(
              cacheInput(provider.model),
              { text: result.text, provider: provider.providerId, model: provider.model, promptTokens: result.promptTokens, completionTokens: result.completionTokens, finishReason: result.finishReason, latencyMs },
              { ...(call.cache?.docIds ? { docIds: call.cache.docIds } : {}), ...(call.cache?.ttlMs !== undefined ? { ttlMs: call.cache.ttlMs } : {}) },
            );
          }
          return {
            ...result, requestId: firstId, attempts, provider: provider.providerId, cacheHit: false, cacheKind: null,
            costMicros: anyPriced ? spent : null, savedMicros: null,
          };
        }

        lastError = error;
        if (row.status === 'cancelled') throw new RequestCancelledError('attempt', error);
        const decision = policy.decide(error, n, spent, worstCase);
        if (decision.retry) {
          await policy.wait(decision.delayMs, signal);
          waitedMs = decision.delayMs;
          continue;
        }
        stopReason = decision.reason;
        if (decision.reason === 'cost-cap') break chain;
        if (decision.reason === 'not-retryable' && !isProviderDown(error)) break chain;
        break; // attempts exhausted, Retry-After too long or provider down: next provider
      }
    }
    throw new RequestFailedError(firstId ?? 'none', attempts, stopReason, lastError);
  }

  private price(model: string, promptTokens: number, completionTokens: number): number | null {
    return this.options.pricer?.costMicros(model, promptTokens, completionTokens, 0) ?? null;
  }

  /**
   * What a hit saved: the token price of the original answer, else (a local, unpriced model) what its original run
   * cost in energy/amortisation, from the stored latency; null when neither is known.
   */
  private savedBy(hit: { provider: string; model: string; promptTokens: number; completionTokens: number; latencyMs?: number | null }): number | null {
    const priced = this.price(hit.model, hit.promptTokens, hit.completionTokens);
    if (priced !== null) return priced;
    if (hit.latencyMs === null || hit.latencyMs === undefined) return null;
    return this.options.pricer?.runCostMicros?.(hit.provider, hit.model, hit.latencyMs) ?? null;
  }
}

/**
 * Emits a cached answer in a few chunks, yielding to the event loop between them so each leaves as its own event.
 * An abort stops the replay but not the hit: the whole answer is already here and costs nothing, so it is returned.
 */
async function replay(text: string, completionTokens: number, onTextChunk: NonNullable<GenerateRequest['onTextChunk']>, signal: AbortSignal | undefined): Promise<void> {
  const chunks = replayChunks(text);
  let sent = 0;
  for (const chunk of chunks) {
    if (signal?.aborted) return;
    sent += chunk.length;
    onTextChunk(chunk, Math.round((completionTokens * sent) / text.length), 0);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function isProviderDown(error: unknown): boolean {
  if (!isAppError(error)) return false;
  if (PROVIDER_DOWN.has(error.code)) return true;
  const status = error.details?.status;
  return error.code === 'PROVIDER_ERROR' && (status === 401 || status === 403 || status === 404);
}

/** Whether a failed attempt may have been charged for its prompt (the server had it and worked on it). */
function billedOnFailure(error: unknown): boolean {
  if (!isAppError(error)) return false;
  if (error.code === 'TIMEOUT' || error.code === 'CANCELLED') return true;
  return error.code === 'PROVIDER_ERROR' && error.details?.status === 200;
}

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}
