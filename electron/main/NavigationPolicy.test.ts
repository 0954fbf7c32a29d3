import { describe, expect, it } from 'vitest';
import { NavigationPolicy } from './NavigationPolicy.js';

const APP = 'file:///opt/Hearth/resources/app/dist/renderer/index.html';
const policy = new NavigationPolicy(APP);

describe('NavigationPolicy', () => {
  it('allows only the app page itself (any #route)', () => {
    expect(policy.allowNavigation(APP)).toBe(true);
    expect(policy.allowNavigation(`${APP}#/chat`)).toBe(true);
  });

  it.each([
    'https://evil.example/',
    'http://127.0.0.1:8080/',
    'file:///etc/passwd',
    'file:///opt/Hearth/resources/app/dist/renderer/other.html',
    'file:///opt/Hearth/resources/app/dist/renderer/index.html?inject=1',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'not a url',
  ])('refuses navigation to %s', (url) => {
    expect(policy.allowNavigation(url)).toBe(false);
  });

  it('denies every new window and offers only plain https links to the OS browser', () => {
    expect(policy.windowOpen('https://docs.example.org/page?q=1')).toEqual({ action: 'deny', openExternally: 'https://docs.example.org/page?q=1' });
    for (const url of ['http://example.org/', 'file:///etc/passwd', 'smb://host/share', 'javascript:alert(1)', 'https://user:pw@example.org/', 'ms-settings:', '']) {
      expect(policy.windowOpen(url)).toEqual({ action: 'deny' });
    }
  });
});
