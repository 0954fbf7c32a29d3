import { AppError } from '../../../shared/errors.js';

/** A conversation id that is not (or no longer) in the chat history. */
export class ConversationNotFoundError extends AppError {
  constructor(readonly conversationId: string) {
    super('NOT_FOUND', `No conversation "${conversationId}". It may have been deleted.`, { details: { conversationId } });
  }
}
