import { RequestCancelledError } from './RequestCancelledError.js';

/** A real timer that an AbortSignal cuts short (rejecting with RequestCancelledError). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new RequestCancelledError('backoff', signal.reason));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new RequestCancelledError('backoff', signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
