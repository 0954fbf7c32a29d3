import { z } from 'zod';

/** First-stage retrieval of grounded chat (the retrieval service's modes minus 'rerank', which is the `rerank` flag). */
export const ChatRetrievalMode = z.enum(['bm25', 'dense', 'hybrid-linear', 'hybrid-rrf']);
export type ChatRetrievalMode = z.infer<typeof ChatRetrievalMode>;

/**
 * How retrieved passages are shrunk before the answer prompt:
 * - none: whole passages (default; best recall, most prompt tokens);
 * - extractive: embedding similarity keeps question-like sentences (no LLM call);
 * - llm: the model picks sentence ids under a grammar that only allows the candidate ids (cannot invent text);
 * - extractive+llm: extractive first, then the model picks among the survivors.
 */
export const ChatCompression = z.enum(['none', 'extractive', 'llm', 'extractive+llm']);
export type ChatCompression = z.infer<typeof ChatCompression>;

export const ChatRetrievalSettings = z
  .object({
    /** Default 'hybrid-rrf' (scale-free fusion, no tuning). */
    mode: ChatRetrievalMode.default('hybrid-rrf'),
    /** hybrid-linear weight of the dense score. Default 0.5. */
    alpha: z.number().min(0).max(1).default(0.5),
    /** Re-score the hybrid-rrf candidates with the cross-encoder (needs a reranker model). Default false. */
    rerank: z.boolean().default(false),
    /** Passages given to the model. Default 4. */
    k: z.number().int().min(1).max(20).default(4),
    compression: ChatCompression.default('none'),
  })
  .strict();
export type ChatRetrievalSettings = z.infer<typeof ChatRetrievalSettings>;
export type ChatRetrievalSettingsInput = z.input<typeof ChatRetrievalSettings>;

/** Which documents a question may be answered from; all given conditions must hold. */
export const ChatFilter = z
  .object({
    collection: z.string().min(1).max(200).optional(),
    documentIds: z.array(z.string().min(1)).max(500).optional(),
  })
  .strict();
export type ChatFilter = z.infer<typeof ChatFilter>;

/** One citation: a passage the answer cites, by its number in the prompt, with where it is in its document. */
export const Citation = z.object({
  /** 1-based number of the passage in the prompt ("[n]"). */
  index: z.number().int().min(1),
  chunkId: z.string(),
  documentId: z.string(),
  documentName: z.string(),
  page: z.number().int(),
  pageEnd: z.number().int(),
  /** Offsets (exclusive end) of `quote` in the parsed document text. */
  charStart: z.number().int().nonnegative(),
  charEnd: z.number().int().nonnegative(),
  /** The passage text the model saw (compressed sentences when compression ran). */
  quote: z.string(),
  score: z.number(),
});
export type Citation = z.infer<typeof Citation>;

export const CloudEquivalentCost = z.object({ model: z.string(), costMicros: z.number().int().nonnegative() });

export const AnswerStats = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  /** Decode speed of the answer generation. */
  tokensPerSecond: z.number().nonnegative(),
  /** Wall time of the whole ask: retrieval, compression and generation. */
  latencyMs: z.number().nonnegative(),
  retrievalMs: z.number().nonnegative(),
  firstTokenMs: z.number().nonnegative().nullable(),
  /** What the ledger charged (local: energy + amortisation), all model calls of this answer. */
  costMicros: z.number().int().nonnegative(),
  /** What the same tokens would have cost on each comparison cloud model (ledger shadow pricing). */
  cloudEquivalent: z.array(CloudEquivalentCost),
  /** Ledger request ids (first attempt of each model call). */
  requestIds: z.array(z.string()),
  model: z.string().nullable(),
});
export type AnswerStats = z.infer<typeof AnswerStats>;

export const ChatAnswerStatus = z.enum(['answered', 'not-found', 'truncated', 'cancelled']);

/** One stored message of a conversation. */
export const ChatMessageRecord = z.object({
  id: z.string(),
  conversationId: z.string(),
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  /** Epoch ms. */
  createdAt: z.number(),
  citations: z.array(Citation),
  /** Assistant messages only. */
  stats: AnswerStats.nullable(),
  status: ChatAnswerStatus.nullable(),
  settings: ChatRetrievalSettings.nullable(),
});
export type ChatMessageRecord = z.infer<typeof ChatMessageRecord>;

export const ConversationSummary = z.object({
  id: z.string(),
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  messageCount: z.number().int().nonnegative(),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const ChatAskInput = z
  .object({
    question: z.string().trim().min(1).max(4000),
    /** Continue this conversation; omitted = start a new one. */
    conversationId: z.string().min(1).optional(),
    filter: ChatFilter.optional(),
    settings: ChatRetrievalSettings.optional(),
    /** Answer length cap in characters (the grammar enforces it). Default 1200. */
    maxAnswerChars: z.number().int().min(16).max(8000).default(1200),
    temperature: z.number().min(0).max(2).default(0.2),
    seed: z.number().int().min(0).optional(),
  })
  .strict();
export type ChatAskInput = z.input<typeof ChatAskInput>;

export const ChatAskOutput = z.object({
  conversationId: z.string(),
  question: ChatMessageRecord,
  answer: ChatMessageRecord,
});

/** Streamed answer text of a `chat.ask` call (the citation list is not streamed). */
export const ChatTokenEvent = z.object({ requestId: z.string(), text: z.string() });

/** Phases of a `chat.ask` call, so a UI can say what is happening before the first token. */
export const ChatPhaseEvent = z.object({
  requestId: z.string(),
  phase: z.enum(['retrieving', 'compressing', 'generating', 'done']),
  passages: z.number().int().nonnegative().optional(),
});
