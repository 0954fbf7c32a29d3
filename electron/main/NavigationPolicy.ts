/** What to do with a `window.open` / `target=_blank` request: always deny; maybe hand an https link to the OS browser. */
export interface WindowOpenDecision {
  action: 'deny';
  /** Set only for a well-formed `https:` URL without credentials; the caller passes it to `shell.openExternal`. */
  openExternally?: string;
}

/**
 * Navigation and new-window policy (Electron checklist items 13–14) as pure functions of the app's own
 * `file://…/index.html` URL, so they are unit-tested without Electron.
 *
 * - `allowNavigation(url)`: only the app page itself (any fragment: the router uses `#`); everything else,
 *   including other `file://` paths, `http(s)`, `javascript:` and `data:` URLs, is refused.
 * - `windowOpen(url)`: every new window is denied. An `https:` link (no user:password, no custom scheme) is
 *   offered to the user's browser; plain `http:` is not, so a compromised renderer cannot open
 *   downgrade or `file:`/`smb:` handlers through the OS.
 */
export class NavigationPolicy {
  private readonly appUrl: string;

  constructor(appUrl: string) {
    this.appUrl = stripFragment(new URL(appUrl).href);
  }

  allowNavigation(url: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    return parsed.protocol === 'file:' && stripFragment(parsed.href) === this.appUrl;
  }

  windowOpen(url: string): WindowOpenDecision {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { action: 'deny' };
    }
    if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') return { action: 'deny' };
    return { action: 'deny', openExternally: parsed.href };
  }
}

function stripFragment(href: string): string {
  const i = href.indexOf('#');
  return i < 0 ? href : href.slice(0, i);
}
