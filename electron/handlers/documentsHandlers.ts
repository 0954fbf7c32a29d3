import { documentsChannels } from '../../shared/contract/documentsContract.js';
import type { AppServices } from './AppServices.js';
import type { HandlersFor, HandlerEnvironment } from './createHandlers.js';

/** Handlers of the Documents feature's channels (see `shared/contract/documentsContract.ts`). */
export function createDocumentsHandlers(services: AppServices, _env: HandlerEnvironment): HandlersFor<keyof typeof documentsChannels> {
  return {
    'documents.list': async (input, ctx) => {
      // a UI opened the Documents screen: get the parser and embedder ready before the user drops files
      if (ctx.transport !== 'direct') void services.documents.warmUp();
      return services.documents.list(input);
    },
    'documents.collections': async () => services.documents.collections(),
    'documents.ingest': async (input, ctx) =>
      services.documents.ingest(input, {
        signal: ctx.signal,
        onProgress: (p) => ctx.emit('documents.progress', { requestId: ctx.requestId, ...p }),
      }),
    'documents.reindex': async ({ docIds }, ctx) =>
      services.documents.reindex(docIds, {
        signal: ctx.signal,
        onProgress: (p) => ctx.emit('documents.progress', { requestId: ctx.requestId, ...p }),
      }),
    'documents.delete': async ({ docIds }) => services.documents.remove(docIds),
    'documents.stats': async () => services.documents.stats(),
    'documents.passage': async ({ chunkId }) => services.documents.passage(chunkId),
  };
}
