import { z } from 'zod';

export const ChatMessage = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const GenerateInput = z
  .object({
    /** Raw completion prompt (no chat template). Exactly one of prompt/messages. */
    prompt: z.string().optional(),
    /** Chat messages, formatted with the model's own chat template. */
    messages: z.array(ChatMessage).min(1).optional(),
    maxTokens: z.number().int().min(1).max(32_768).default(256),
    temperature: z.number().min(0).max(2).default(0.7),
    topK: z.number().int().min(0).optional(),
    topP: z.number().min(0).max(1).optional(),
    seed: z.number().int().min(0).optional(),
    /** GBNF grammar constraining the output. */
    grammar: z.string().optional(),
    stop: z.array(z.string()).max(16).optional(),
  })
  .refine((v) => (v.prompt === undefined) !== (v.messages === undefined), {
    message: 'give exactly one of prompt or messages',
  });
export type GenerateInput = z.input<typeof GenerateInput>;

export const FinishReason = z.enum(['stop', 'length', 'cancelled', 'grammar']);

export const GenerateResult = z.object({
  text: z.string(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
  /** Time to the first token, ms. */
  firstTokenMs: z.number().nonnegative().nullable(),
  tokensPerSecond: z.number().nonnegative(),
  finishReason: FinishReason,
  model: z.string(),
});
export type GenerateResult = z.infer<typeof GenerateResult>;

/** Pushed while a generation streams. */
export const TokenEvent = z.object({
  requestId: z.string(),
  text: z.string(),
  completionTokens: z.number().int(),
  tokensPerSecond: z.number(),
});
export type TokenEvent = z.infer<typeof TokenEvent>;
