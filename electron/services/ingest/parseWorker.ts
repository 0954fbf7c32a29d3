/**
 * Worker-thread entry for {@link ParseWorkerPool}: parses files off the main thread so a 500-page
 * PDF never freezes the UI. Messages: in `{id, path, maxBytes}`, out `{id, ok: true, doc}` or
 * `{id, ok: false, error: {code, message, details}}` (AppErrors keep their code and data; anything
 * else is reported as DOCUMENT_UNREADABLE by the pool).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../../../shared/errors.js';
import { parseFile } from './parseFile.js';

if (!parentPort) throw new Error('parseWorker must run in a worker thread');
const port = parentPort;
const crashOn = (workerData as { crashOnPathContaining?: string } | null)?.crashOnPathContaining;
port.on('message', (msg: { id: number; path: string; maxBytes?: number }) => {
  const parsing = parseFile(msg.path, { maxBytes: msg.maxBytes });
  // Test hook (ParseWorkerPoolOptions.crashOnPathContaining): die mid-parse, like an out-of-memory kill would
  // (process.exit in a worker ends only this thread).
  if (crashOn !== undefined && msg.path.includes(crashOn)) process.exit(70);
  parsing.then(
    (doc) => port.postMessage({ id: msg.id, ok: true, doc }),
    (e: unknown) =>
      port.postMessage({
        id: msg.id,
        ok: false,
        error: isAppError(e)
          ? { code: e.code, message: e.message, details: e.details ?? {} }
          : { code: 'DOCUMENT_UNREADABLE', message: (e as Error)?.message ?? String(e), details: { path: msg.path } },
      }),
  );
});
