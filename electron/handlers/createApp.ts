import type { EventName, EventPayload } from '../../shared/contract/index.js';
import { AppServices, type AppServicesOptions } from './AppServices.js';
import { createHandlers, type HandlerEnvironment, type HandlerTable } from './createHandlers.js';
import { Dispatcher, type ErrorLogger } from './Dispatcher.js';
import { HEARTH_VERSION } from './version.js';

export interface HearthApp {
  services: AppServices;
  handlers: HandlerTable;
  dispatcher: Dispatcher;
  /** Subscribe to every pushed event (each transport forwards them to its clients). */
  onEvent(listener: <E extends EventName>(event: E, payload: EventPayload<E>) => void): () => void;
  /** Push an event to every transport's clients (background jobs use this; handlers use ctx.emit). */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  dispose(): Promise<void>;
}

/** Services + handler table + dispatcher, wired once. Electron main, the bridge and tests call this. */
export async function createApp(
  options: AppServicesOptions & { logError?: ErrorLogger; chosenFiles?: HandlerEnvironment['chosenFiles'] },
): Promise<HearthApp> {
  const services = await AppServices.create(options);
  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  const table: { handlers?: HandlerTable } = {};
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const l of listeners) l(event, payload);
  };
  const dispatcher = new Dispatcher(() => table.handlers!, emit, options.logError);
  const handlers = createHandlers(services, {
    version: HEARTH_VERSION,
    cancel: (requestId) => dispatcher.cancel(requestId),
    ...(options.chosenFiles === undefined ? {} : { chosenFiles: options.chosenFiles }),
  });
  table.handlers = handlers;
  services.setEventSink(emit);
  return {
    services,
    handlers,
    dispatcher,
    onEvent(listener) {
      const l = listener as (event: EventName, payload: unknown) => void;
      listeners.add(l);
      return () => listeners.delete(l);
    },
    emit,
    dispose: () => services.dispose(),
  };
}
