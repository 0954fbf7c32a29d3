/** The part of Electron's `WebFrameMain` the sender check reads. */
export interface SenderFrameLike {
  url: string;
  parent: unknown;
}

/**
 * IPC sender-frame validation (Electron checklist item 17): a contract call is accepted only from the top
 * frame of our own renderer page (`file://…/renderer/index.html`, any `#route`). Iframes, other pages, a
 * destroyed frame (`null`) or a frame navigated elsewhere are refused. The comparison is on the parsed URL
 * so `index.html?x` or `index.html/../other.html` tricks do not pass.
 */
export function isTrustedSender(frame: SenderFrameLike | null | undefined, rendererUrl: string): boolean {
  if (frame === null || frame === undefined || frame.parent !== null) return false;
  let actual: URL;
  let expected: URL;
  try {
    actual = new URL(frame.url);
    expected = new URL(rendererUrl);
  } catch {
    return false;
  }
  return actual.protocol === 'file:' && actual.search === '' && actual.pathname === expected.pathname && actual.host === expected.host;
}
