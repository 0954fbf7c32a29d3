import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type HearthApp } from '../handlers/index.js';
import { BridgeServer } from './BridgeServer.js';

let dir: string;
let app: HearthApp;
let bridge: BridgeServer;

/** Raw HTTP so tests can forge Host and Origin headers the way a rebinding attacker's page would. */
function request(
  method: string,
  pathname: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: bridge.port, method, path: pathname, headers: { Host: `127.0.0.1:${bridge.port}`, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const auth = () => ({ Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'application/json' });
const invoke = (channel: string, input: unknown, headers: Record<string, string> = auth()) =>
  request('POST', `/api/invoke/${channel}`, { headers, body: JSON.stringify({ input }) });

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-bridge-'));
  const staticDir = path.join(dir, 'static');
  await fs.mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await fs.writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Hearth</title>');
  await fs.writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  await fs.writeFile(path.join(dir, 'secret.txt'), 'do not serve me');
  app = await createApp({ dataDir: path.join(dir, 'data'), cpuOnly: true });
  bridge = await BridgeServer.start({ app, staticDir });
});
afterAll(async () => {
  await bridge.dispose();
  await bridge.dispose(); // idempotent
  await app.dispose();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('BridgeServer', () => {
  it('listens on loopback only, with a fresh 256-bit token', () => {
    expect(bridge.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bridge.token).toMatch(/^[0-9a-f]{64}$/);
    expect(bridge.url).toBe(`${bridge.origin}/#token=${bridge.token}`);
  });

  it('answers a valid call', async () => {
    const res = await invoke('app.info', {});
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, data: { name: 'Hearth', transport: 'bridge' } });
  });

  it('refuses a missing or wrong token', async () => {
    const none = await invoke('app.info', {}, { 'Content-Type': 'application/json' });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const wrong = await invoke('app.info', {}, { Authorization: `Bearer ${'0'.repeat(64)}`, 'Content-Type': 'application/json' });
    expect(wrong.status).toBe(401);
    const truncated = await invoke('app.info', {}, { Authorization: `Bearer ${bridge.token.slice(0, 10)}`, 'Content-Type': 'application/json' });
    expect(truncated.status).toBe(401);
  });

  it('refuses a foreign Origin even with the right token', async () => {
    const res = await invoke('app.info', {}, { ...auth(), Origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
    const same = await invoke('app.info', {}, { ...auth(), Origin: bridge.origin });
    expect(same.status).toBe(200);
  });

  it('refuses a rebinding Host header, for the API and static files alike', async () => {
    const api = await invoke('app.info', {}, { ...auth(), Host: `evil.example:${bridge.port}` });
    expect(api.status).toBe(403);
    const page = await request('GET', '/', { headers: { Host: 'attacker.test' } });
    expect(page.status).toBe(403);
    expect(page.body).not.toContain('<title>Hearth');
  });

  it('rejects malformed bodies, unknown channels and bad payloads with typed errors', async () => {
    const notJson = await request('POST', '/api/invoke/app.info', { headers: auth(), body: '{not json' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.code).toBe('INVALID_INPUT');
    const formPost = await request('POST', '/api/invoke/app.info', {
      headers: { Authorization: `Bearer ${bridge.token}`, 'Content-Type': 'text/plain' },
      body: '{}',
    });
    expect(formPost.status).toBe(415);
    const unknown = await invoke('shell.exec', { cmd: 'ls' });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.code).toBe('UNKNOWN_CHANNEL');
    const badPayload = await invoke('models.load', { path: '' });
    expect(badPayload.status).toBe(400);
    expect(JSON.parse(badPayload.body).error.code).toBe('INVALID_INPUT');
  });

  it('maps a typed service failure to 422 with its code', async () => {
    await fs.writeFile(path.join(dir, 'not-a-model.gguf'), 'this is not a GGUF file');
    const res = await invoke('models.inspect', { path: path.join(dir, 'not-a-model.gguf') });
    expect(res.status).toBe(422);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'MODEL_CORRUPT', retryable: false } });
  });

  it('streams pushed events to an authorised client', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: bridge.port, path: '/api/events', headers: { Authorization: `Bearer ${bridge.token}` } },
        (res) => {
          expect(res.headers['content-type']).toContain('text/event-stream');
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString('utf8');
            if (text.includes('"llm.token"')) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.on('error', (e) => (String(e).includes('socket hang up') ? undefined : reject(e)));
      req.end();
      setTimeout(() => app.emit('llm.token', { requestId: 'r1', text: 'hi', completionTokens: 1, tokensPerSecond: 0 }), 100);
    });
    const frame = received.split('\n\n').find((f) => f.includes('llm.token'))!;
    const data = JSON.parse(frame.split('\n').find((l) => l.startsWith('data: '))!.slice(6));
    expect(data).toEqual({ event: 'llm.token', payload: { requestId: 'r1', text: 'hi', completionTokens: 1, tokensPerSecond: 0 } });
  });

  it('refuses the event stream without a token', async () => {
    const res = await request('GET', '/api/events');
    expect(res.status).toBe(401);
  });

  it('serves Prometheus metrics on loopback only when the user turned them on', async () => {
    expect((await request('GET', '/metrics')).status).toBe(404);
    await app.services.settings.update({ metricsEnabled: true });
    app.services.ledger.recordRequest({ endpoint: 'chat', provider: 'local', model: 'tiny', promptTokens: 5, completionTokens: 7, latencyMs: 12, status: 'ok' });
    const res = await request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/^hearth_\w+/m);
    expect(res.body).toContain('model="tiny"');
    expect((await request('GET', '/metrics', { headers: { Host: 'evil.example' } })).status).toBe(403);
    await app.services.settings.update({ metricsEnabled: false });
  });

  it('serves the renderer with a CSP, and nothing outside its folder', async () => {
    const index = await request('GET', '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect(index.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const asset = await request('GET', '/assets/app.js');
    expect(asset.headers['content-type']).toContain('text/javascript');
    const route = await request('GET', '/documents');
    expect(route.body).toContain('<title>Hearth');
    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await request('GET', attempt);
      expect(res.body).not.toContain('do not serve me');
    }
  });
});

