import type { ChatMessage, GenerateResult } from '../../../shared/schemas/generation.js';

/** One generation request, the same for local and remote providers. */
export interface GenerateRequest {
  /** Raw prompt (no chat template). Exactly one of `prompt` / `messages`. */
  prompt?: string;
  /** Chat messages, formatted with the provider's chat template. */
  messages?: ChatMessage[];
  maxTokens: number;
  temperature: number;
  topK?: number;
  topP?: number;
  seed?: number;
  /** GBNF grammar; providers that cannot enforce it must throw rather than ignore it. */
  grammar?: string;
  stop?: string[];
  /**
   * Local provider only: fast-forward grammar-forced text (see `GrammarFastForward`). Default: the provider's
   * `grammarFastForward` option (true). Remote providers ignore it.
   */
  grammarFastForward?: boolean;
  signal?: AbortSignal;
  /** Called with each decoded text chunk as it streams. */
  onTextChunk?: (text: string, completionTokens: number, tokensPerSecond: number) => void;
}

/**
 * The interface every model backend implements: the local llama.cpp model and OpenAI-compatible endpoints.
 * Everything above this (extraction, RAG, evals, the ledger's instrumented path) talks only to this.
 */
export interface LlmProvider {
  /** e.g. 'local' or 'openai-compatible:<name>' */
  readonly providerId: string;
  /** Model name as priced in the ledger. */
  readonly model: string;
  readonly kind: 'local' | 'remote';
  readonly contextSize: number;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  countTokens(text: string): Promise<number>;
  dispose(): Promise<void>;
}
