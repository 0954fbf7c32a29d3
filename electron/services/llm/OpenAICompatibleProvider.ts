import type { GenerateResult } from '../../../shared/schemas/generation.js';
import { AppError } from '../../../shared/errors.js';
import { estimateTokens } from './estimateTokens.js';
import type { GenerateRequest, LlmProvider } from './LlmProvider.js';
import { ProviderError, ProviderRateLimitedError, ProviderUnavailableError } from './providerErrors.js';

export interface OpenAICompatibleProviderOptions {
  /** Shown in the ledger as `openai-compatible:<name>`. */
  name: string;
  /** e.g. https://api.openai.com/v1 or http://127.0.0.1:8080/v1 */
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Default 128k. Used for routing (requests that cannot fit are never sent). */
  contextSize?: number;
  /** Whole-request timeout. Default 120 s. */
  timeoutMs?: number;
  /** Injected by the offline guard: refuses hosts the user has not enabled. Default: global fetch. */
  fetch?: typeof fetch;
}

/** `response_format` for providers that support JSON mode or structured outputs. */
export type ResponseFormat =
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema: unknown; strict?: boolean } };

export interface RemoteGenerateRequest extends GenerateRequest {
  responseFormat?: ResponseFormat;
}

/**
 * Any server speaking OpenAI's chat-completions protocol (OpenAI, Azure-style gateways, vLLM, llama-server,
 * LM Studio, Ollama's /v1). Streams with server-sent events and reads the provider's own usage numbers
 * (`stream_options.include_usage`); when a server does not report usage, tokens are estimated with a real BPE.
 * It cannot enforce a GBNF grammar: a request carrying one is refused rather than silently unconstrained.
 */
export class OpenAICompatibleProvider implements LlmProvider {
  readonly kind = 'remote' as const;
  readonly providerId: string;
  readonly model: string;
  readonly contextSize: number;

  private constructor(private readonly options: OpenAICompatibleProviderOptions) {
    this.providerId = `openai-compatible:${options.name}`;
    this.model = options.model;
    this.contextSize = options.contextSize ?? 128_000;
  }

  static async create(options: OpenAICompatibleProviderOptions): Promise<OpenAICompatibleProvider> {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new AppError('INVALID_INPUT', `"${options.baseUrl}" is not a valid base URL.`, { details: { baseUrl: options.baseUrl } });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new AppError('INVALID_INPUT', 'The base URL must be http(s).', { details: { baseUrl: options.baseUrl } });
    }
    return new OpenAICompatibleProvider(options);
  }

  async countTokens(text: string): Promise<number> {
    return estimateTokens(text, this.model);
  }

  async generate(request: RemoteGenerateRequest): Promise<GenerateResult> {
    if (request.grammar !== undefined) {
      throw new AppError('SCHEMA_UNSUPPORTED', `${this.providerId} cannot enforce a GBNF grammar; use a JSON schema response format instead.`, {
        details: { provider: this.providerId },
      });
    }
    const messages = request.messages ?? [{ role: 'user' as const, content: request.prompt ?? '' }];
    const body: Record<string, unknown> = {
      model: this.model,
      messages,
      max_tokens: request.maxTokens,
      temperature: request.temperature,
      stream: true,
      stream_options: { include_usage: true },
    };
    if (request.topP !== undefined) body.top_p = request.topP;
    if (request.seed !== undefined) body.seed = request.seed;
    if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
    if (request.responseFormat !== undefined) body.response_format = request.responseFormat;

    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 120_000);
    const signal = request.signal === undefined ? timeout : AbortSignal.any([request.signal, timeout]);
    const started = performance.now();
    const doFetch = this.options.fetch ?? fetch;
    let res: Response;
    try {
      res = await doFetch(new URL('chat/completions', this.options.baseUrl.endsWith('/') ? this.options.baseUrl : this.options.baseUrl + '/'), {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'text/event-stream, application/json',
          ...(this.options.apiKey ? { Authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify(body),
        signal,
      });
    } catch (err) {
      throw this.transportError(err, request.signal, timeout);
    }
    if (!res.ok) throw await this.httpError(res);

    let text = '';
    let completionChunks = 0;
    let firstTokenAt: number | null = null;
    let usage: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } } | undefined;
    let finish: string | null = null;
    const contentType = res.headers.get('content-type') ?? '';
    try {
      if (contentType.includes('text/event-stream') && res.body !== null) {
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        let done = false;
        while (!done) {
          const chunk = await reader.read();
          if (chunk.done) break;
          buffer += chunk.value;
          let end: number;
          while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
            const data = frame
              .split(/\r?\n/)
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).trimStart())
              .join('\n');
            if (data === '') continue;
            if (data === '[DONE]') {
              done = true;
              break;
            }
            const event = parseJson(data, this.providerId) as StreamChunk;
            if (event.usage) usage = event.usage;
            const choice = event.choices?.[0];
            if (choice?.finish_reason) finish = choice.finish_reason;
            const delta = choice?.delta?.content;
            if (typeof delta === 'string' && delta.length > 0) {
              firstTokenAt ??= performance.now();
              completionChunks += 1;
              text += delta;
              const elapsed = (performance.now() - firstTokenAt) / 1000;
              request.onTextChunk?.(delta, completionChunks, elapsed > 0 ? completionChunks / elapsed : 0);
            }
          }
        }
      } else {
        const json = parseJson(await res.text(), this.providerId) as CompletionBody;
        const choice = json.choices?.[0];
        if (choice === undefined || typeof choice.message?.content !== 'string') {
          throw new ProviderError(this.providerId, res.status, 'the response has no choices[0].message.content', true);
        }
        text = choice.message.content;
        finish = choice.finish_reason ?? null;
        usage = json.usage;
        firstTokenAt = performance.now();
        request.onTextChunk?.(text, 1, 0);
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw this.transportError(err, request.signal, timeout);
    }
    const durationMs = performance.now() - started;
    const promptTokens = usage?.prompt_tokens ?? estimateTokens(messages.map((m) => m.content).join('\n'), this.model);
    const completionTokens = usage?.completion_tokens ?? estimateTokens(text, this.model);
    const genSeconds = (performance.now() - (firstTokenAt ?? started)) / 1000;
    return {
      text,
      promptTokens,
      completionTokens,
      durationMs,
      firstTokenMs: firstTokenAt === null ? null : firstTokenAt - started,
      tokensPerSecond: genSeconds > 0 ? completionTokens / genSeconds : 0,
      finishReason: finish === 'length' ? 'length' : 'stop',
      model: this.model,
    };
  }

  private transportError(err: unknown, userSignal: AbortSignal | undefined, timeout: AbortSignal): AppError {
    if (userSignal?.aborted) return new AppError('CANCELLED', 'The request was cancelled.', { cause: err });
    if (timeout.aborted) {
      return new AppError('TIMEOUT', `${this.providerId} did not answer within ${this.options.timeoutMs ?? 120_000} ms.`, {
        details: { provider: this.providerId },
        cause: err,
      });
    }
    if (err instanceof AppError) return err;
    return new ProviderUnavailableError(this.providerId, (err as Error).message, err);
  }

  private async httpError(res: Response): Promise<AppError> {
    const bodyText = (await res.text().catch(() => '')).slice(0, 500);
    let message = bodyText;
    try {
      const parsed = JSON.parse(bodyText) as { error?: { message?: string } };
      message = parsed.error?.message ?? bodyText;
    } catch {
      // not JSON: keep the text
    }
    if (res.status === 429) return new ProviderRateLimitedError(this.providerId, parseRetryAfter(res.headers.get('retry-after')), message);
    if (res.status >= 500 || res.status === 408) return new ProviderUnavailableError(this.providerId, `HTTP ${res.status}: ${message}`, undefined, res.status);
    return new ProviderError(this.providerId, res.status, message, false);
  }

  async dispose(): Promise<void> {}
}

interface StreamChunk {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } };
}
interface CompletionBody {
  choices?: { message?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: StreamChunk['usage'];
}

function parseJson(text: string, provider: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ProviderError(provider, 200, `malformed response body: ${text.slice(0, 120)}`, true);
  }
}

/** Retry-After is either delta-seconds or an HTTP date. Returns ms, or null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
