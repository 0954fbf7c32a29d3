/**
 * Worker-thread entry for {@link ParseWorkerPool}: parses files off the main thread so a 500-page
 * PDF never freezes the UI. Messages: in `{id, path, maxBytes}`, out `{id, ok: true, doc}` or
 * `{id, ok: false, error: {code, message, details}}` (AppErrors keep their code and data; anything
 * else is reported as DOCUMENT_UNREADABLE by the pool).
 */
import { parentPort } from 'node:worker_threads';
import { isAppError } from '../../../shared/errors.js';
import { parseFile } from './parseFile.js';

if (!parentPort) throw new Error('parseWorker must run in a worker thread');
const port = parentPort;
port.on('message', (msg: { id: number; path: string; maxBytes?: number }) => {
  parseFile(msg.path, { maxBytes: msg.maxBytes }).then(
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
