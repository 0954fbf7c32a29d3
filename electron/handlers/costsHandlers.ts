import { costsChannels } from '../../shared/contract/costsContract.js';
import type { AppServices } from './AppServices.js';
import type { HandlersFor, HandlerEnvironment } from './createHandlers.js';

/** Handlers of the Costs feature's channels (see `shared/contract/costsContract.ts`). */
export function createCostsHandlers(_services: AppServices, _env: HandlerEnvironment): HandlersFor<keyof typeof costsChannels> {
  return {};
}
