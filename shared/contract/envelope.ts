import { z } from 'zod';
import { SerializedAppError } from '../errors.js';

/** What every call returns over any transport. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: SerializedAppError };

export const EnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: SerializedAppError }),
]);

/** The body of one bridge/IPC call. `requestId` lets the caller cancel it and match its events. */
export const InvokeRequest = z.object({
  requestId: z.string().min(1).max(128).optional(),
  input: z.unknown(),
});

/** A pushed event as it travels: name, then payload. */
export const EventMessage = z.object({ event: z.string(), payload: z.unknown() });
export type EventMessage = z.infer<typeof EventMessage>;
