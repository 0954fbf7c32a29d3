import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../shared/errors.js';
import { InvokeRequest } from '../../shared/contract/index.js';
import type { HearthApp } from '../handlers/index.js';

export interface BridgeServerOptions {
  /**
   * The app, or a promise of it: with a promise the server listens (and serves the renderer's static files)
   * at once, while API calls wait for the app. `serve` uses this so the window paints while the services
   * are still loading (~10 s of module loading on a busy 2-core machine).
   */
  app: HearthApp | Promise<HearthApp>;
  /** 0 picks a free port. Default 0. */
  port?: number;
  /** Built renderer to serve at `/` (dist/renderer). Omit to serve the API only. */
  staticDir?: string;
  /** Extra origins allowed to call the API (e.g. the Vite dev server). Default none. */
  allowedOrigins?: readonly string[];
  /** Per-launch secret; default 32 random bytes. Tests may pin it. */
  token?: string;
  /** Largest request body accepted. Default 16 MiB. */
  maxBodyBytes?: number;
}

/** The renderer's own CSP: same as Electron's, so the browser build behaves like the desktop one. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/**
 * The contract over loopback HTTP: `POST /api/invoke/<channel>` for calls and `GET /api/events` (SSE) for
 * pushed events, both requiring `Authorization: Bearer <token>`. Bound to 127.0.0.1 only. Every request's
 * Host must name this loopback port and any Origin must be this server (or an allowed dev origin), which
 * defeats DNS rebinding and cross-site requests from pages the user has open.
 */
export class BridgeServer {
  private readonly sseClients = new Set<http.ServerResponse>();
  private unsubscribe: () => void = () => undefined;
  private disposed = false;
  private readonly app: Promise<HearthApp>;

  private constructor(
    private readonly server: http.Server,
    readonly token: string,
    private readonly options: BridgeServerOptions,
  ) {
    this.app = Promise.resolve(options.app);
    this.app.then(
      (app) => {
        if (this.disposed) return;
        this.unsubscribe = app.onEvent((event, payload) => {
          const frame = `event: message\ndata: ${JSON.stringify({ event, payload })}\n\n`;
          for (const res of this.sseClients) res.write(frame);
        });
      },
      () => undefined, // reported per request by `ready()`, and by the owner that created the app
    );
  }

  /** The app, or a typed error when it failed to start (the owner logs the cause). */
  private async ready(): Promise<HearthApp> {
    try {
      return await this.app;
    } catch (cause) {
      throw new AppError('INTERNAL', 'Hearth failed to start; see the terminal it was started from.', { cause });
    }
  }

  static async start(options: BridgeServerOptions): Promise<BridgeServer> {
    const token = options.token ?? crypto.randomBytes(32).toString('hex');
    const server = http.createServer();
    const bridge = new BridgeServer(server, token, options);
    server.on('request', (req, res) => {
      bridge.handle(req, res).catch((err: unknown) => {
        console.error('[hearth bridge] request failed', err);
        if (!res.headersSent) sendError(res, 500, err instanceof AppError ? err : new AppError('INTERNAL', 'Bridge failure.'));
        else res.end();
      });
    });
    // Requests Node's HTTP parser rejects (garbage, bad chunking, huge headers) still get a JSON error body.
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const body = JSON.stringify({ ok: false, error: new AppError('INVALID_INPUT', 'Malformed HTTP request.', { details: { reason: String(err.code ?? 'parse') } }).toSerialized() });
      socket.end(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return bridge;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The URL to open: the token travels in the fragment, which browsers never send to servers or in Referer. */
  get url(): string {
    return `${this.origin}/#token=${this.token}`;
  }

  private allowedHosts(): Set<string> {
    return new Set([`127.0.0.1:${this.port}`, `localhost:${this.port}`]);
  }

  private allowedOrigins(): Set<string> {
    return new Set([`http://127.0.0.1:${this.port}`, `http://localhost:${this.port}`, ...(this.options.allowedOrigins ?? [])]);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    const host = req.headers.host ?? '';
    if (!this.allowedHosts().has(host.toLowerCase())) {
      return sendError(res, 403, new AppError('FORBIDDEN_ORIGIN', 'This server only answers requests addressed to its loopback address.', { details: { host: host.slice(0, 200) } }));
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.allowedOrigins().has(origin)) {
      return sendError(res, 403, new AppError('FORBIDDEN_ORIGIN', 'Requests from other sites are refused.', { details: { origin: origin.slice(0, 200) } }));
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', this.origin);
    } catch {
      return sendError(res, 400, new AppError('INVALID_INPUT', 'Malformed request URL.'));
    }
    if (url.pathname === '/metrics' && req.method === 'GET') return this.serveMetrics(res);
    if (url.pathname.startsWith('/api/')) {
      if (!this.authorized(req)) {
        return sendError(res, 401, new AppError('UNAUTHORIZED', 'Missing or wrong bridge token. Open the URL printed at start-up.'));
      }
      if (url.pathname === '/api/events' && req.method === 'GET') return this.openEventStream(req, res);
      const match = /^\/api\/invoke\/([A-Za-z0-9_.-]{1,100})$/.exec(url.pathname);
      if (match !== null && req.method === 'POST') return this.invoke(match[1]!, req, res);
      return sendError(res, 404, new AppError('NOT_FOUND', `No API route ${req.method} ${url.pathname.slice(0, 100)}.`));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, new AppError('NOT_FOUND', 'Method not allowed.'));
    return this.serveStatic(url.pathname, res);
  }

  /**
   * Prometheus text format. Off by default (Settings → metrics endpoint); when on, it is served without the
   * token so a local scraper can read it, still only on 127.0.0.1 and with the Host check above. It carries
   * counts, costs and latencies by model, never prompts or document text.
   */
  private async serveMetrics(res: http.ServerResponse): Promise<void> {
    const app = await this.ready();
    if (!app.services.settings.get().metricsEnabled) {
      return sendError(res, 404, new AppError('NOT_FOUND', 'The metrics endpoint is off. Turn it on in Settings.'));
    }
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(await app.services.ledger.metricsText());
  }

  private authorized(req: http.IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    const expected = Buffer.from(this.token);
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  }

  private async invoke(channelName: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.startsWith('application/json')) {
      // also blocks "simple" cross-site form posts, which cannot set this content type without a preflight
      return sendError(res, 415, new AppError('INVALID_INPUT', 'Send the call as application/json.'));
    }
    const limit = this.options.maxBodyBytes ?? 16 * 2 ** 20;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) return sendError(res, 413, new AppError('INVALID_INPUT', `The request body is larger than ${limit} bytes.`));
      chunks.push(chunk as Buffer);
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      return sendError(res, 400, new AppError('INVALID_INPUT', 'The request body is not valid JSON.'));
    }
    const request = InvokeRequest.safeParse(body);
    if (!request.success) return sendError(res, 400, new AppError('INVALID_INPUT', 'The body must be {"requestId"?: string, "input": ...}.'));
    const app = await this.ready();
    const envelope = await app.dispatcher.dispatch(channelName, request.data.input, {
      ...(request.data.requestId === undefined ? {} : { requestId: request.data.requestId }),
      transport: 'bridge',
    });
    sendJson(res, envelope.ok ? 200 : statusFor(envelope.error.code), envelope);
  }

  private openEventStream(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    this.sseClients.add(res);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      this.sseClients.delete(res);
    });
  }

  private async serveStatic(pathname: string, res: http.ServerResponse): Promise<void> {
    const root = this.options.staticDir;
    if (root === undefined) return sendError(res, 404, new AppError('NOT_FOUND', 'No renderer build is served. Run `npm run build:renderer`.'));
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return sendError(res, 404, new AppError('NOT_FOUND', 'Not found.'));
    }
    if (decoded.includes('\0')) return sendError(res, 404, new AppError('NOT_FOUND', 'Not found.'));
    const candidate = path.resolve(root, '.' + (decoded.endsWith('/') ? decoded + 'index.html' : decoded));
    if (!candidate.startsWith(path.resolve(root) + path.sep)) return sendError(res, 404, new AppError('NOT_FOUND', 'Not found.'));
    let file = candidate;
    let data: Buffer;
    try {
      data = await fs.readFile(file);
    } catch {
      if (path.extname(decoded) !== '') return sendError(res, 404, new AppError('NOT_FOUND', 'Not found.'));
      file = path.join(root, 'index.html'); // client-side routes
      try {
        data = await fs.readFile(file);
      } catch {
        return sendError(res, 404, new AppError('NOT_FOUND', 'The renderer has not been built. Run `npm run build:renderer`.'));
      }
    }
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable',
    });
    res.end(data);
  }

  /** Idempotent: closes event streams and the listening socket (the app itself is disposed by its owner). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.unsubscribe();
    for (const res of this.sseClients) res.end();
    this.sseClients.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function statusFor(code: string): number {
  switch (code) {
    case 'INVALID_INPUT':
      return 400;
    case 'UNKNOWN_CHANNEL':
    case 'NOT_FOUND':
      return 404;
    case 'UNAUTHORIZED':
      return 401;
    case 'FORBIDDEN_ORIGIN':
      return 403;
    case 'INTERNAL':
    case 'INVALID_OUTPUT':
      return 500;
    default:
      return 422; // a typed, expected failure of a valid call
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function sendError(res: http.ServerResponse, status: number, error: AppError): void {
  sendJson(res, status, { ok: false, error: error.toSerialized() });
}
