import { documentsChannels } from '../../shared/contract/documentsContract.js';
import type { AppServices } from './AppServices.js';
import type { HandlersFor, HandlerEnvironment } from './createHandlers.js';

/** Handlers of the Documents feature's channels (see `shared/contract/documentsContract.ts`). */
export function createDocumentsHandlers(_services: AppServices, _env: HandlerEnvironment): HandlersFor<keyof typeof documentsChannels> {
  return {};
}
