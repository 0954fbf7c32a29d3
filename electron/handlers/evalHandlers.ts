import { evalChannels } from '../../shared/contract/evalContract.js';
import type { AppServices } from './AppServices.js';
import type { HandlersFor, HandlerEnvironment } from './createHandlers.js';

/** Handlers of the Eval feature's channels (see `shared/contract/evalContract.ts`). */
export function createEvalHandlers(_services: AppServices, _env: HandlerEnvironment): HandlersFor<keyof typeof evalChannels> {
  return {};
}
