import { AppError } from '../errors.js';
import { channelNames, type ChannelInput, type ChannelName, type ChannelOutput, type EventName, type EventPayload } from './contract.js';
import type { Envelope } from './envelope.js';

/** What a transport (Electron preload, loopback bridge, in-process) must provide. */
export interface Transport {
  invoke(channel: string, input: unknown, requestId: string): Promise<Envelope<unknown>>;
  /** Subscribe to every pushed event; returns an unsubscribe function. */
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

export interface CallOptions {
  /** Pass your own id to match pushed events (tokens, progress) to this call. */
  requestId?: string;
  /** Aborting sends `app.cancel` for this request id; the call then rejects with code CANCELLED. */
  signal?: AbortSignal;
}

/** One method per contract channel: `api['models.load']({path})`. Failures reject with an `AppError` carrying the code. */
export type ApiMethods = {
  [C in ChannelName]: (input: ChannelInput<C>, options?: CallOptions) => Promise<ChannelOutput<C>>;
};

export interface ApiClient extends ApiMethods {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  newRequestId(): string;
}

let counter = 0;
function defaultRequestId(): string {
  counter += 1;
  const random = Math.random().toString(36).slice(2, 10);
  return `r${Date.now().toString(36)}-${counter}-${random}`;
}

/**
 * Builds the typed client from the contract's channel list. Both the renderer (IPC or bridge) and tests
 * (in-process) use this, so the method set can never drift from the contract.
 */
export function createApiClient(transport: Transport): ApiClient {
  const client: Record<string, unknown> = {};
  for (const name of channelNames) {
    client[name] = async (input: unknown, options: CallOptions = {}) => {
      const requestId = options.requestId ?? defaultRequestId();
      const onAbort = () => {
        void transport.invoke('app.cancel', { requestId }, defaultRequestId());
      };
      if (options.signal?.aborted) throw new AppError('CANCELLED', 'The call was cancelled before it started.');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const envelope = await transport.invoke(name, input, requestId);
        if (envelope.ok) return envelope.data;
        throw AppError.fromSerialized(envelope.error);
      } finally {
        options.signal?.removeEventListener('abort', onAbort);
      }
    };
  }
  client.on = (event: string, listener: (payload: unknown) => void) =>
    transport.subscribe((name, payload) => {
      if (name === event) listener(payload);
    });
  client.newRequestId = defaultRequestId;
  return client as unknown as ApiClient;
}
