/**
 * The bridge under hostile raw HTTP (fast-check): random methods, paths, headers, bodies, huge or invalid JSON,
 * bad tokens, wrong Host/Origin, chunked garbage and bytes that are not HTTP at all. The server must never
 * crash, every response must be a well-formed JSON error envelope or a 2xx, and rejected requests write
 * nothing to the data dir.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { snapshotDir as snapshot } from '../handlers/testing/snapshotDir.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelNames, EnvelopeSchema } from '../../shared/contract/index.js';
import { createApp, type HearthApp } from '../handlers/index.js';
import { BridgeServer } from './BridgeServer.js';

let dir: string;
let dataDir: string;
let app: HearthApp;
let bridge: BridgeServer;

interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: Buffer;
}

/** Sends raw bytes, reads until the server closes (or 5 s), and parses one HTTP/1.1 response. */
function rawExchange(bytes: Buffer): Promise<RawResponse | null> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(bridge.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const text = Buffer.concat(chunks).toString('latin1');
      if (/content-type: text\/event-stream/i.test(text)) socket.destroy(); // an authorised SSE stream never ends
    });
    socket.on('error', () => undefined); // the server may reset after answering; judged by what was received
    socket.on('close', () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      if (all.length === 0) return resolve(null);
      const headEnd = all.indexOf('\r\n\r\n');
      if (headEnd < 0) return reject(new Error(`truncated response: ${all.toString('latin1').slice(0, 200)}`));
      const [statusLine, ...headerLines] = all.subarray(0, headEnd).toString('latin1').split('\r\n');
      const headers = new Map(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()] as const));
      let body: Buffer = all.subarray(headEnd + 4);
      if (headers.get('transfer-encoding') === 'chunked') body = dechunk(body);
      else if (headers.has('content-length')) body = body.subarray(0, Number(headers.get('content-length')));
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine!)?.[1] ?? 0), headers, body });
    });
    socket.end(bytes);
  });
}

function dechunk(buf: Buffer): Buffer {
  const out: Buffer[] = [];
  let i = 0;
  for (let guard = 0; guard < 10_000 && i < buf.length; guard++) {
    const lineEnd = buf.indexOf('\r\n', i);
    const size = parseInt(buf.subarray(i, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) break;
    out.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
    i = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(out);
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-bridge-fuzz-'));
  dataDir = path.join(dir, 'data');
  const staticDir = path.join(dir, 'static');
  await fs.mkdir(staticDir, { recursive: true });
  await fs.writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Hearth</title>');
  app = await createApp({ dataDir, cpuOnly: true });
  bridge = await BridgeServer.start({ app, staticDir, maxBodyBytes: 64 * 1024 });
  await app.dispatcher.dispatch('app.info', {}, { transport: 'bridge' }); // settle lazy start-up writes
}, 120_000);
afterAll(async () => {
  await bridge.dispose();
  await app.dispose();
  await fs.rm(dir, { recursive: true, force: true });
}, 60_000);

const token = () => bridge.token;
const hostArb = () => fc.oneof(fc.constant(`127.0.0.1:${bridge.port}`), fc.constant(`localhost:${bridge.port}`), fc.constant('evil.example'), fc.constant(`127.0.0.1:${bridge.port + 1}`), fc.string({ maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, '')));

describe('BridgeServer fuzz (raw HTTP)', () => {
  it('answers random raw HTTP with a well-formed JSON error or 2xx and writes nothing for rejected requests', async () => {
    const method = fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT', 'BREW'), fc.stringMatching(/^[A-Z]{1,8}$/));
    const pathArb = fc.oneof(
      fc.constantFrom(...channelNames).map((c) => `/api/invoke/${c}`),
      fc.constantFrom('/', '/index.html', '/api/events', '/metrics', '/api/', '/api/invoke/', '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/%E0%A4%A', '/a%00.js', '//x', '/api/invoke/app.info?x=1#y'),
      fc.webPath(),
      fc.string({ maxLength: 60 }).map((s) => '/' + encodeURIComponent(s)),
    );
    const authArb = fc.oneof(
      fc.constant(undefined),
      fc.constant('__valid__'),
      fc.string({ maxLength: 80 }).map((s) => `Bearer ${s.replace(/[\r\n]/g, '')}`),
      fc.constant('Basic Zm9vOmJhcg=='),
    );
    const originArb = fc.oneof(fc.constant(undefined), fc.constant('__self__'), fc.constantFrom('https://evil.example', 'null', 'http://127.0.0.1:1'));
    const bodyArb = fc.oneof(
      fc.constant(''),
      fc.json({ maxDepth: 3 }),
      fc.jsonValue({ maxDepth: 3 }).map((input) => JSON.stringify({ input })),
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
      fc.constant('{"input": ' + '['.repeat(5000)),
      fc.constant(JSON.stringify({ input: 'x'.repeat(70 * 1024) })), // above maxBodyBytes
    );
    const framing = fc.constantFrom('length', 'chunked', 'bad-chunked', 'lying-length');
    const contentType = fc.constantFrom(undefined, 'application/json', 'text/plain', 'application/json; charset=utf-8', 'multipart/form-data');
    const extraHeaders = fc.array(fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,20}$/), fc.string({ maxLength: 40 }).map((v) => v.replace(/[\r\n]/g, ''))), { maxLength: 4 });

    const request = fc.record({ method, path: pathArb, host: hostArb(), auth: authArb, origin: originArb, body: bodyArb, framing, contentType, extraHeaders });
    const garbage = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 400 }).map((b) => Buffer.from(b)),
      fc.constant(Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:0\r\n${'X-Big: ' + 'a'.repeat(20_000)}\r\n\r\n`)),
      fc.constant(Buffer.from('POST /api/invoke/app.info HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot hex\r\n')),
      fc.constant(Buffer.from('GET / HTTP/9.9\r\n\r\n')),
      fc.constant(Buffer.from('\r\n\r\n\r\n')),
    );

    const toBytes = (r: typeof request extends fc.Arbitrary<infer T> ? T : never): Buffer => {
      const headers: string[] = [`Host: ${r.host}`, 'Connection: close'];
      if (r.auth !== undefined) headers.push(`Authorization: ${r.auth === '__valid__' ? `Bearer ${token()}` : r.auth}`);
      if (r.origin !== undefined) headers.push(`Origin: ${r.origin === '__self__' ? bridge.origin : r.origin}`);
      if (r.contentType !== undefined) headers.push(`Content-Type: ${r.contentType}`);
      for (const [k, v] of r.extraHeaders) if (!/^(host|content-length|transfer-encoding|connection)$/i.test(k)) headers.push(`${k}: ${v}`);
      const body = Buffer.from(r.body, 'utf8');
      let payload: Buffer;
      if (r.framing === 'chunked') {
        headers.push('Transfer-Encoding: chunked');
        payload = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
      } else if (r.framing === 'bad-chunked') {
        headers.push('Transfer-Encoding: chunked');
        payload = Buffer.concat([Buffer.from(`${(body.length + 7).toString(16)}\r\n`), body, Buffer.from('\r\nGARBAGE\r\n')]);
      } else if (r.framing === 'lying-length') {
        headers.push(`Content-Length: ${Math.max(0, body.length - 3)}`);
        payload = body;
      } else {
        headers.push(`Content-Length: ${body.length}`);
        payload = body;
      }
      return Buffer.concat([Buffer.from(`${r.method} ${r.path.replace(/[\s]/g, '')} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`, 'latin1'), payload]);
    };

    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 5, arbitrary: request.map(toBytes) }, { weight: 1, arbitrary: garbage }), async (bytes) => {
        const before = await snapshot(dataDir);
        const res = await rawExchange(bytes);
        if (res === null) return; // connection closed without a response (e.g. reset mid-garbage): no crash is the property
        answered++;
        expect(res.status, bytes.toString('latin1').slice(0, 120)).toBeGreaterThanOrEqual(200);
        expect(res.status).toBeLessThan(600);
        const isHead = bytes.subarray(0, 5).toString('latin1') === 'HEAD ';
        if (res.status >= 300) {
          expect(res.headers.get('content-type')).toMatch(/^application\/json/);
          if (!isHead) {
            const parsed = EnvelopeSchema.safeParse(JSON.parse(res.body.toString('utf8')));
            expect(parsed.success, res.body.toString('utf8').slice(0, 200)).toBe(true);
            expect(res.body.toString('utf8')).not.toMatch(/\n\s+at /);
            if (parsed.success && !parsed.data.ok) expect(parsed.data.error.code).not.toBe('INTERNAL');
          }
          expect(await snapshot(dataDir)).toBe(before);
        }
      }),
      { numRuns: 250, seed: 8 },
    );
    expect(answered).toBeGreaterThan(150);
    // still alive and serving after the storm
    const health = await rawExchange(Buffer.from(`POST /api/invoke/app.info HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nAuthorization: Bearer ${token()}\r\nContent-Type: application/json\r\nContent-Length: 12\r\nConnection: close\r\n\r\n{"input":{}}`));
    expect(health?.status).toBe(200);
  }, 180_000);
});
