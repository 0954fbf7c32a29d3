import { AppError, type SerializedAppError } from '../../shared/errors.js';
import { channels, isChannelName, type EventName, type EventPayload, type Envelope } from '../../shared/contract/index.js';
import type { HandlerTable } from './createHandlers.js';

export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
export type ErrorLogger = (message: string, error: unknown) => void;

/**
 * Runs one call for either transport: validate input → handler → validate output → envelope.
 * Known failures (AppError) cross the boundary as `{code, message, details, retryable}`; anything else is
 * logged here with its stack and becomes a bare `INTERNAL` (no stack, no message text leaks).
 */
export class Dispatcher {
  private readonly inFlight = new Map<string, AbortController>();
  private counter = 0;

  constructor(
    private readonly handlers: () => HandlerTable,
    private readonly emit: EventSink,
    private readonly logError: ErrorLogger = (message, error) => console.error(message, error),
  ) {}

  /** Abort the call with this request id. */
  cancel(requestId: string): boolean {
    const controller = this.inFlight.get(requestId);
    if (controller === undefined) return false;
    controller.abort();
    return true;
  }

  async dispatch(
    channelName: string,
    rawInput: unknown,
    options: { requestId?: string; transport: 'ipc' | 'bridge' | 'direct' },
  ): Promise<Envelope<unknown>> {
    if (!isChannelName(channelName)) {
      return failure(new AppError('UNKNOWN_CHANNEL', `There is no channel named "${channelName.slice(0, 100)}".`, {
        details: { channel: channelName.slice(0, 100) },
      }));
    }
    const def = channels[channelName];
    const parsed = def.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      return failure(new AppError('INVALID_INPUT', `Invalid input for ${channelName}.`, {
        details: {
          channel: channelName,
          issues: parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
        },
      }));
    }
    this.counter += 1;
    const requestId = options.requestId ?? `srv-${this.counter}`;
    const controller = new AbortController();
    const supersededController = this.inFlight.get(requestId);
    this.inFlight.set(requestId, controller);
    try {
      const handler = this.handlers()[channelName] as (input: unknown, ctx: unknown) => Promise<unknown>;
      const output = await handler(parsed.data, {
        requestId,
        signal: controller.signal,
        transport: options.transport,
        emit: this.emit,
      });
      const checked = def.output.safeParse(output);
      if (!checked.success) {
        this.logError(`[hearth] handler ${channelName} returned output that fails its schema`, checked.error);
        return failure(new AppError('INVALID_OUTPUT', `The app produced an invalid result for ${channelName}. This is a bug.`, {
          details: { channel: channelName },
        }));
      }
      return { ok: true, data: checked.data };
    } catch (err) {
      if (err instanceof AppError) return failure(err);
      if (controller.signal.aborted) return failure(new AppError('CANCELLED', 'The call was cancelled.'));
      this.logError(`[hearth] unexpected failure in ${channelName}`, err);
      return failure(new AppError('INTERNAL', 'Something went wrong inside Hearth. The details are in the app log.'));
    } finally {
      if (this.inFlight.get(requestId) === controller) {
        if (supersededController === undefined) this.inFlight.delete(requestId);
        else this.inFlight.set(requestId, supersededController);
      }
    }
  }
}

function failure(error: AppError): { ok: false; error: SerializedAppError } {
  return { ok: false, error: error.toSerialized() };
}
