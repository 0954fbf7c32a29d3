import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkGuard, type NetworkPolicy } from './NetworkGuard.js';

let server: http.Server;
let hits = 0;
let port = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits += 1;
    if (req.url === '/redirect-out') {
      res.writeHead(302, { Location: 'http://blocked.invalid/steal' }).end();
      return;
    }
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('NetworkGuard', () => {
  let policy: NetworkPolicy = { offline: false, allowedHosts: [] };
  const guard = new NetworkGuard(() => policy);

  it('blocks a host that is not allowed, before any connection is made', async () => {
    policy = { offline: false, allowedHosts: ['api.openai.com'] };
    const before = hits;
    await expect(guard.fetch(`http://127.0.0.2:${port}/`)).rejects.toMatchObject({
      code: 'NETWORK_BLOCKED',
      details: { host: `127.0.0.2:${port}`, reason: 'not-allowed' },
      message: expect.stringContaining('not an enabled provider'),
    });
    await expect(guard.fetch('https://example.com/upload')).rejects.toMatchObject({ code: 'NETWORK_BLOCKED' });
    expect(hits).toBe(before);
  });

  it('allows an enabled host', async () => {
    policy = { offline: false, allowedHosts: [`127.0.0.1:${port}`] };
    const res = await guard.fetch(`http://127.0.0.1:${port}/`);
    expect(await res.text()).toBe('ok');
  });

  it('follows a redirect only to an allowed host', async () => {
    policy = { offline: false, allowedHosts: [`127.0.0.1:${port}`] };
    await expect(guard.fetch(`http://127.0.0.1:${port}/redirect-out`)).rejects.toMatchObject({
      code: 'NETWORK_BLOCKED',
      details: { host: 'blocked.invalid' },
    });
  });

  it('blocks everything but loopback in offline mode, even allowed cloud hosts', () => {
    policy = { offline: true, allowedHosts: ['api.openai.com', `127.0.0.1:${port}`] };
    expect(() => guard.check('https://api.openai.com/v1/chat/completions')).toThrow(/offline mode/);
    expect(() => guard.check(`http://127.0.0.1:${port}/v1`)).not.toThrow();
    policy = { offline: true, allowedHosts: [`127.0.0.1:${port}`], allowLoopbackWhenOffline: false };
    expect(() => guard.check(`http://127.0.0.1:${port}/v1`)).toThrow(/offline/);
  });

  it('refuses non-http schemes and garbage', () => {
    policy = { offline: false, allowedHosts: ['x'] };
    expect(() => guard.check('file:///etc/passwd')).toThrow(expect.objectContaining({ code: 'NETWORK_BLOCKED' }));
    expect(() => guard.check('not a url')).toThrow(expect.objectContaining({ code: 'NETWORK_BLOCKED' }));
  });
});
