import type { EventName, EventPayload } from '../../shared/contract/index.js';

/** What a handler gets besides its validated input. */
export interface HandlerContext {
  /** The caller's id for this call: events it causes carry it, and `app.cancel` aborts it. */
  readonly requestId: string;
  readonly signal: AbortSignal;
  readonly transport: 'ipc' | 'bridge' | 'direct';
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}
