import { describe, expect, it } from 'vitest';
import { NetworkBlockedError, NetworkGuard, type NetworkPolicy } from '../services/network/index.js';
import { decideRendererRequest } from './decideRendererRequest.js';

function guard(policy: NetworkPolicy): NetworkGuard {
  return new NetworkGuard(() => policy);
}

describe('decideRendererRequest (session.webRequest offline guard)', () => {
  const online = guard({ offline: false, allowedHosts: ['api.openai.com', 'huggingface.co'] });
  const offline = guard({ offline: true, allowedHosts: ['api.openai.com'] });

  it('always lets app-local URLs through', () => {
    for (const url of ['file:///opt/Hearth/renderer/index.html', 'devtools://devtools/bundled/inspector.html', 'data:image/png;base64,AAAA', 'blob:file:///1234']) {
      expect(decideRendererRequest(url, offline), url).toEqual({ cancel: false });
    }
  });

  it('lets through only hosts the NetworkGuard allows (enabled providers, approved download hosts)', () => {
    expect(decideRendererRequest('https://api.openai.com/v1/models', online)).toEqual({ cancel: false });
    expect(decideRendererRequest('wss://huggingface.co/socket', online)).toEqual({ cancel: false });
    const blocked = decideRendererRequest('https://tracker.example.com/pixel.gif', online);
    expect(blocked.cancel).toBe(true);
    if (!blocked.cancel) throw new Error('unreachable');
    expect(blocked.error).toBeInstanceOf(NetworkBlockedError);
    expect(blocked.error).toMatchObject({ code: 'NETWORK_BLOCKED', host: 'tracker.example.com', reason: 'not-allowed' });
    expect(blocked.error.message).toContain('tracker.example.com');
    expect(blocked.error.message).toContain('not an enabled provider');
  });

  it('blocks even allowed hosts in offline mode, with the offline message', () => {
    const d = decideRendererRequest('https://api.openai.com/v1/chat/completions', offline);
    expect(d.cancel).toBe(true);
    if (!d.cancel) throw new Error('unreachable');
    expect(d.error).toMatchObject({ reason: 'offline' });
    expect(d.error.message).toMatch(/offline mode/);
  });

  it('reads the policy live, like the Node side', () => {
    const policy: NetworkPolicy = { offline: true, allowedHosts: ['api.openai.com'] };
    const live = new NetworkGuard(() => policy);
    expect(decideRendererRequest('https://api.openai.com/', live).cancel).toBe(true);
    policy.offline = false;
    expect(decideRendererRequest('https://api.openai.com/', live).cancel).toBe(false);
  });

  it('refuses other schemes and garbage', () => {
    for (const url of ['ftp://api.openai.com/x', 'smb://host/share', 'hearth-custom://x', 'not a url', 'javascript:alert(1)']) {
      expect(decideRendererRequest(url, online).cancel, url).toBe(true);
    }
  });
});
