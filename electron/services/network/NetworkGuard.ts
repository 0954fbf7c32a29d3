import { NetworkBlockedError } from './NetworkBlockedError.js';

export interface NetworkPolicy {
  /** Offline mode: no outbound connection at all (loopback included unless `allowLoopbackWhenOffline`). */
  offline: boolean;
  /** Hosts (host or host:port, lower case) of enabled providers and download hosts the user approved. */
  allowedHosts: readonly string[];
  /** Local OpenAI-compatible servers (llama-server, LM Studio) on 127.0.0.1 stay reachable offline. Default true. */
  allowLoopbackWhenOffline?: boolean;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/i;

/**
 * The Node-side half of Hearth's offline guarantee: every outbound HTTP request of the main process goes
 * through `guard.fetch`, which refuses any host that is not an enabled provider or an approved download host
 * (Electron's `session.webRequest` filter is the other half, for the renderer). The policy is read on every
 * call, so toggling offline mode takes effect immediately.
 */
export class NetworkGuard {
  constructor(private readonly policy: () => NetworkPolicy) {}

  /** Throws NetworkBlockedError unless the policy allows this URL. */
  check(url: string | URL): void {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new NetworkBlockedError(String(url).slice(0, 200), 'bad-url');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new NetworkBlockedError(parsed.href.slice(0, 200), 'bad-url');
    const policy = this.policy();
    const hostname = parsed.hostname.toLowerCase();
    const host = parsed.host.toLowerCase();
    const loopback = LOOPBACK.test(hostname);
    if (policy.offline && !(loopback && (policy.allowLoopbackWhenOffline ?? true))) throw new NetworkBlockedError(host, 'offline');
    const allowed = policy.allowedHosts.map((h) => h.toLowerCase());
    if (!allowed.includes(host) && !allowed.includes(hostname)) throw new NetworkBlockedError(host, 'not-allowed');
  }

  /** A `fetch` that checks every request (and every redirect target) against the policy. */
  readonly fetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : input.toString();
    this.check(url);
    const res = await fetch(input, { ...init, redirect: 'manual' });
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      const next = new URL(res.headers.get('location')!, url);
      this.check(next);
      return this.fetch(next, init);
    }
    return res;
  };
}
