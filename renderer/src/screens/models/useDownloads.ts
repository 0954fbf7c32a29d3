import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api.js';

export type DownloadState =
  | { phase: 'downloading'; requestId: string; file: string; receivedBytes: number; totalBytes: number | null; bytesPerSecond: number; etaMs: number | null }
  | { phase: 'done'; message: string }
  | { phase: 'failed'; error: unknown };

/**
 * Downloads in flight on this screen, by key (manifest model id or `url:<file>`): each call gets a request id,
 * `download.progress` events for that id update its bytes/speed/ETA, and `cancel` sends `app.cancel` with it
 * (the partial file stays, so the next Download continues from there).
 */
export function useDownloads(onSettled: () => void): {
  downloads: Record<string, DownloadState>;
  start: (key: string, call: (requestId: string) => Promise<string>) => Promise<void>;
  cancel: (key: string) => Promise<void>;
  clear: (key: string) => void;
} {
  const [downloads, setDownloads] = useState<Record<string, DownloadState>>({});
  const byRequest = useRef(new Map<string, string>());

  useEffect(
    () =>
      api.on('download.progress', (e) => {
        const key = byRequest.current.get(e.requestId);
        if (key === undefined) return;
        setDownloads((d) => ({ ...d, [key]: { phase: 'downloading', ...e } }));
      }),
    [],
  );

  const start = useCallback(
    async (key: string, call: (requestId: string) => Promise<string>) => {
      const requestId = api.newRequestId();
      byRequest.current.set(requestId, key);
      setDownloads((d) => ({ ...d, [key]: { phase: 'downloading', requestId, file: '', receivedBytes: 0, totalBytes: null, bytesPerSecond: 0, etaMs: null } }));
      try {
        const message = await call(requestId);
        setDownloads((d) => ({ ...d, [key]: { phase: 'done', message } }));
      } catch (error) {
        setDownloads((d) => ({ ...d, [key]: { phase: 'failed', error } }));
      } finally {
        byRequest.current.delete(requestId);
        onSettled();
      }
    },
    [onSettled],
  );

  const cancel = useCallback(
    async (key: string) => {
      const state = downloads[key];
      if (state?.phase === 'downloading') await api['app.cancel']({ requestId: state.requestId });
    },
    [downloads],
  );

  const clear = useCallback((key: string) => setDownloads(({ [key]: _gone, ...rest }) => rest), []);

  return { downloads, start, cancel, clear };
}
