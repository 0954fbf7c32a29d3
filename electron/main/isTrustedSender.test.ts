import { describe, expect, it } from 'vitest';
import { isTrustedSender } from './isTrustedSender.js';

const APP = 'file:///opt/Hearth/dist/renderer/index.html';

describe('isTrustedSender (IPC sender-frame validation)', () => {
  it('accepts the top frame of the app page, with or without a #route', () => {
    expect(isTrustedSender({ url: APP, parent: null }, APP)).toBe(true);
    expect(isTrustedSender({ url: `${APP}#/costs`, parent: null }, APP)).toBe(true);
  });

  it('refuses sub-frames, destroyed frames, other pages and look-alikes', () => {
    expect(isTrustedSender({ url: APP, parent: { url: APP } }, APP)).toBe(false);
    expect(isTrustedSender(null, APP)).toBe(false);
    expect(isTrustedSender(undefined, APP)).toBe(false);
    for (const url of [
      'https://evil.example/index.html',
      'file:///opt/Hearth/dist/renderer/other.html',
      `${APP}?x=1`,
      'file:///tmp/opt/Hearth/dist/renderer/index.html',
      'http://127.0.0.1:5173/',
      'about:blank',
      '',
    ]) {
      expect(isTrustedSender({ url, parent: null }, APP), url).toBe(false);
    }
  });
});
