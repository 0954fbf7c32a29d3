/**
 * Grounded chat over documents: retrieval, streamed answers with grammar-constrained citations, history.
 * Spread into `channels`/`events` of `contract.ts`; one module per feature keeps the contract easy to read.
 */
import { z } from 'zod';
import { channel } from './defineContract.js';
import { ChatAskInput, ChatAskOutput, ChatMessageRecord, ChatPhaseEvent, ChatTokenEvent, ConversationSummary } from '../schemas/chat.js';

const ConversationRef = z.object({ conversationId: z.string().min(1).max(100) }).strict();

export const chatChannels = {
  'chat.ask': channel(
    ChatAskInput,
    ChatAskOutput,
    'Answer a question from your documents with citations (or "Not found in your documents."); streams chat.token events.',
  ),
  'chat.conversations': channel(z.object({}).strict(), z.array(ConversationSummary), 'Saved conversations, most recent first.'),
  'chat.history': channel(
    ConversationRef,
    z.object({ conversation: ConversationSummary, messages: z.array(ChatMessageRecord) }),
    'The messages of one conversation, with citations and statistics.',
  ),
  'chat.deleteConversation': channel(ConversationRef, z.object({ deleted: z.boolean() }), 'Delete a conversation and its messages.'),
} as const;

export const chatEvents = {
  'chat.token': ChatTokenEvent,
  'chat.phase': ChatPhaseEvent,
} as const;
