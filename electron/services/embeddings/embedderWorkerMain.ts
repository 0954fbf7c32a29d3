/**
 * Entry point of the `EmbedderWorker` thread: builds the embedder described by `workerData` and serves
 * embed requests. Not imported by anything; the build must emit it as its own bundle next to the
 * bundle that contains `EmbedderWorker` (see EmbedderWorker.ts).
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { AppError, isAppError, type SerializedAppError } from '../../../shared/errors.js';
import { createEmbedder } from './createEmbedder.js';
import type { Embedder } from './Embedder.js';
import type { EmbedderWorkerData } from './EmbedderWorker.js';
import type { EmbedderWorkerMessage, EmbedderWorkerRequest } from './EmbedderWorkerMessage.js';

function serialize(err: unknown): SerializedAppError {
  if (isAppError(err)) return err.toSerialized();
  // Unknown failures keep their name, message and stack in details so the main thread can log them.
  const e = err instanceof Error ? err : new Error(String(err));
  return new AppError('INTERNAL', `${e.name}: ${e.message}`, { details: { stack: e.stack ?? '' } }).toSerialized();
}

async function main(): Promise<void> {
  if (isMainThread || parentPort === null) throw new Error('embedderWorkerMain must run in a worker thread');
  const port = parentPort;
  const post = (m: EmbedderWorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

  const data = workerData as EmbedderWorkerData;
  let embedder: Embedder;
  try {
    embedder = await createEmbedder(data.spec);
  } catch (err) {
    post({ type: 'init-error', error: serialize(err) });
    return;
  }
  const inFlight = new Map<number, AbortController>();
  port.on('message', (req: EmbedderWorkerRequest) => {
    switch (req.type) {
      case 'embed': {
        if (data.crashOnText !== undefined && req.texts.includes(data.crashOnText)) {
          // Test hook (EmbedderWorkerOptions.crashOnText): die mid-job with an uncaught error, like a native crash would.
          throw new Error('deliberate embedder crash (test hook)');
        }
        const ac = new AbortController();
        inFlight.set(req.requestId, ac);
        embedder
          .embed(req.texts, { signal: ac.signal })
          .then(
            (vectors) => post({ type: 'result', requestId: req.requestId, vectors }, vectors.map((v) => v.buffer as ArrayBuffer)),
            (err: unknown) => post({ type: 'error', requestId: req.requestId, error: serialize(err) }),
          )
          .finally(() => inFlight.delete(req.requestId));
        break;
      }
      case 'cancel':
        inFlight.get(req.requestId)?.abort();
        break;
      case 'dispose':
        for (const ac of inFlight.values()) ac.abort();
        // Native runtimes (onnxruntime, tfjs-wasm) may keep handles open; end the thread explicitly
        // (process.exit in a worker stops only this thread).
        void embedder.dispose().finally(() => process.exit(0));
        break;
    }
  });
  post({ type: 'ready', id: embedder.id, dimensions: embedder.dimensions });
}

void main();
