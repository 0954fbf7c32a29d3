import { settingsChannels } from '../../shared/contract/settingsContract.js';
import type { AppServices } from './AppServices.js';
import type { HandlersFor, HandlerEnvironment } from './createHandlers.js';

/** Handlers of the channels in `shared/contract/settingsContract.ts`. */
export function createSettingsHandlers(services: AppServices, _env: HandlerEnvironment): HandlersFor<keyof typeof settingsChannels> {
  return {
    'models.downloadUrl': async (input, ctx) =>
      services.downloader.downloadUrl(input, {
        signal: ctx.signal,
        onProgress: (p) => ctx.emit('download.progress', { requestId: ctx.requestId, ...p }),
      }),
    'models.partialDownloads': async () => services.downloader.partialUrlDownloads(),
    'models.discardPartial': async ({ fileName }) => ({ discarded: await services.downloader.discardPartial(fileName) }),
  };
}
