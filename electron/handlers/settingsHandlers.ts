import { settingsChannels } from '../../shared/contract/settingsContract.js';
import type { AppServices } from './AppServices.js';
import type { HandlersFor, HandlerEnvironment } from './createHandlers.js';

/** Handlers of the channels in `shared/contract/settingsContract.ts`. */
export function createSettingsHandlers(_services: AppServices, _env: HandlerEnvironment): HandlersFor<keyof typeof settingsChannels> {
  return {};
}
