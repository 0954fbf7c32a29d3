import type { SerializedAppError } from '../../../shared/errors.js';

/** Main thread → worker. The spec itself travels as `workerData`. */
export type EmbedderWorkerRequest =
  | { type: 'embed'; requestId: number; texts: string[] }
  | { type: 'cancel'; requestId: number }
  | { type: 'dispose' };

/** Worker → main thread. Vector buffers are transferred, not copied. */
export type EmbedderWorkerMessage =
  | { type: 'ready'; id: string; dimensions: number }
  | { type: 'init-error'; error: SerializedAppError }
  | { type: 'result'; requestId: number; vectors: Float32Array[] }
  | { type: 'error'; requestId: number; error: SerializedAppError };
