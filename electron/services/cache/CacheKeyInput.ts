/** A chat message as the cache sees it (same shape as shared/schemas/generation ChatMessage). */
export interface CacheMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Everything that decides whether two requests may share an answer. */
export interface CacheKeyInput {
  model: string;
  /** Exactly one of prompt / messages. */
  prompt?: string;
  messages?: readonly CacheMessage[];
  /** Hash of the JSON schema / GBNF grammar constraining the output; null when unconstrained. */
  schemaHash?: string | null;
  grammarHash?: string | null;
  /** Version of the document corpus the prompt was built from (RAG); null when no documents are involved. */
  corpusVersion?: string | null;
  /**
   * The part of the prompt a paraphrase may change (e.g. the user's question inside a RAG prompt). When given and
   * found in the prompt, only it is embedded for semantic lookup and everything around it must match exactly (it joins
   * the scope), so two different questions over the same long passages never look alike. Default: the last message
   * of `messages` (earlier messages — system prompt, history — must match exactly), or the whole `prompt`.
   */
  semanticText?: string | null;
  /** The generation parameters that change the output. Streaming callbacks and signals do not. */
  params: { maxTokens: number; temperature: number; topK?: number; topP?: number; seed?: number; stop?: readonly string[] };
}
