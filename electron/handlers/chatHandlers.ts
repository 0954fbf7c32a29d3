import { chatChannels } from '../../shared/contract/chatContract.js';
import type { AppServices } from './AppServices.js';
import type { HandlersFor, HandlerEnvironment } from './createHandlers.js';

/** Handlers of the Chat feature's channels (see `shared/contract/chatContract.ts`). */
export function createChatHandlers(_services: AppServices, _env: HandlerEnvironment): HandlersFor<keyof typeof chatChannels> {
  return {};
}
