import { createApiClient, type ApiClient } from '../../shared/contract/index.js';
import type { HearthApp } from './createApp.js';

/** The typed contract client over no transport at all: calls go straight to the dispatcher (tests, scripts). */
export function createDirectClient(app: HearthApp): ApiClient {
  return createApiClient({
    invoke: (channel, input, requestId) => app.dispatcher.dispatch(channel, input, { requestId, transport: 'direct' }),
    subscribe: (listener) => app.onEvent(listener),
  });
}
