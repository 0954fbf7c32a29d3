import { createApiClient, type ApiClient, type Envelope, type Transport } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';

/** What the Electron preload exposes (contract channels only). */
interface PreloadBridge {
  invoke(channel: string, input: unknown, requestId: string): Promise<Envelope<unknown>>;
  on(listener: (event: string, payload: unknown) => void): () => void;
  /** Native open dialog in main (desktop only); main remembers the picked files for the path checks. */
  chooseFiles(extensions?: readonly string[]): Promise<string[]>;
}

declare global {
  interface Window {
    hearth?: PreloadBridge;
  }
}

const TOKEN_KEY = 'hearth.bridgeToken';

/** The bridge token arrives in the URL fragment once; keep it for this tab and drop it from the address bar. */
function bridgeToken(): string {
  const match = /(?:^#|&)token=([0-9a-f]+)/.exec(window.location.hash);
  if (match?.[1] !== undefined) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function ipcTransport(bridge: PreloadBridge): Transport {
  return { invoke: (c, i, r) => bridge.invoke(c, i, r), subscribe: (l) => bridge.on(l) };
}

/** HTTP calls plus one streamed `text/event-stream` response for pushed events (fetch, so the token is a header). */
function httpTransport(): Transport {
  const token = bridgeToken();
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let streaming = false;

  const openStream = async () => {
    if (streaming) return;
    streaming = true;
    for (let attempt = 0; listeners.size > 0; attempt += 1) {
      try {
        const res = await fetch('./api/events', { headers: { Authorization: headers.Authorization } });
        if (!res.ok || res.body === null) throw new Error(`event stream: HTTP ${res.status}`);
        attempt = 0;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
            if (data === '') continue;
            const message = JSON.parse(data) as { event: string; payload: unknown };
            for (const l of listeners) l(message.event, message.payload);
          }
        }
      } catch {
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
      }
    }
    streaming = false;
  };

  return {
    async invoke(channel, input, requestId) {
      let res: Response;
      try {
        res = await fetch(`./api/invoke/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ requestId, input }),
        });
      } catch {
        return { ok: false, error: new AppError('PROVIDER_UNAVAILABLE', 'Lost the connection to Hearth. Is `npm run serve` still running?').toSerialized() };
      }
      return (await res.json()) as Envelope<unknown>;
    },
    subscribe(listener) {
      listeners.add(listener);
      void openStream();
      return () => listeners.delete(listener);
    },
  };
}

/** The typed client for every contract channel, over Electron IPC when present, else the loopback bridge. */
export const api: ApiClient = createApiClient(window.hearth ? ipcTransport(window.hearth) : httpTransport());

/**
 * The native file picker when running in Electron (the handlers then accept only picked files), or null in a
 * browser through the bridge, where the user types or pastes a path instead.
 */
export const chooseFiles: ((extensions: readonly string[]) => Promise<string[]>) | null = window.hearth
  ? (extensions) => window.hearth!.chooseFiles(extensions)
  : null;
