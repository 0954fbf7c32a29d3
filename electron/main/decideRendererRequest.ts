import { NetworkBlockedError, type NetworkGuard } from '../services/network/index.js';

/** `{cancel: false}` lets the request through; `{cancel: true}` carries the typed reason (logged by main). */
export type RendererRequestDecision = { cancel: false } | { cancel: true; error: NetworkBlockedError };

/** App-local schemes the renderer may always load: its own files, DevTools, inline images and blobs. */
const LOCAL_SCHEMES = new Set(['file:', 'devtools:', 'data:', 'blob:', 'chrome-extension:']);

/**
 * The Electron half of the offline guarantee (`session.webRequest.onBeforeRequest`): app-local URLs pass;
 * `http(s)`/`ws(s)` requests pass only if the SAME `NetworkGuard` the Node side uses allows the host (enabled
 * providers and approved download hosts; nothing in offline mode except loopback servers); every other scheme
 * (`ftp:`, `smb:`, custom protocols) is refused. Pure apart from reading the guard's live policy.
 *
 * `chrome-extension:` is listed because DevTools extensions use it; Hearth installs none.
 */
export function decideRendererRequest(url: string, guard: Pick<NetworkGuard, 'check'>): RendererRequestDecision {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { cancel: true, error: new NetworkBlockedError(url.slice(0, 200), 'bad-url') };
  }
  if (LOCAL_SCHEMES.has(parsed.protocol)) return { cancel: false };
  if (parsed.protocol === 'ws:' || parsed.protocol === 'wss:') {
    parsed = new URL(parsed.href.replace(/^ws/, 'http'));
  }
  try {
    guard.check(parsed);
    return { cancel: false };
  } catch (error) {
    if (error instanceof NetworkBlockedError) return { cancel: true, error };
    throw error;
  }
}
