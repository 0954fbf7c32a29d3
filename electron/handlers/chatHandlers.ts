import { chatChannels } from '../../shared/contract/chatContract.js';
import type { AppServices } from './AppServices.js';
import type { HandlersFor, HandlerEnvironment } from './createHandlers.js';

/** Handlers of the Chat feature's channels (see `shared/contract/chatContract.ts`). */
export function createChatHandlers(services: AppServices, _env: HandlerEnvironment): HandlersFor<keyof typeof chatChannels> {
  return {
    'chat.ask': async (input, ctx) =>
      services.chat.ask(input, {
        signal: ctx.signal,
        onToken: (text) => ctx.emit('chat.token', { requestId: ctx.requestId, text }),
        onPhase: (phase, passages) => ctx.emit('chat.phase', { requestId: ctx.requestId, phase, ...(passages === undefined ? {} : { passages }) }),
      }),
    'chat.conversations': async () => services.chat.conversations(),
    'chat.history': async ({ conversationId }) => services.chat.conversation(conversationId),
    'chat.deleteConversation': async ({ conversationId }) => ({ deleted: services.chat.deleteConversation(conversationId) }),
  };
}
