import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted reply. Replies are used in order; when the script runs out, `fallback` answers. */
export type FakeReply =
  | { kind: 'stream'; text: string; chunkSize?: number; usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number }; delayMs?: number }
  | { kind: 'json'; text: string; usage?: { prompt_tokens: number; completion_tokens: number }; delayMs?: number }
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'hang' } // never answers (client timeout)
  | { kind: 'reset' } // destroys the socket mid-request
  | { kind: 'malformed' }; // 200 with a body that is not JSON

/**
 * A real loopback HTTP server speaking OpenAI's chat-completions protocol, misbehaving on cue (429 with
 * Retry-After, 500s, hangs, resets, malformed bodies). Tests of providers, retries and fallbacks run against it;
 * it binds 127.0.0.1 only, so nothing in a test leaves the machine.
 */
export class FakeOpenAIServer {
  readonly requests: { body: Record<string, unknown>; headers: http.IncomingHttpHeaders }[] = [];
  private readonly script: FakeReply[] = [];
  private readonly sockets = new Set<import('node:net').Socket>();

  private constructor(private readonly server: http.Server, private readonly fallback: FakeReply) {}

  static async start(options: { fallback?: FakeReply } = {}): Promise<FakeOpenAIServer> {
    const server = http.createServer();
    const fake = new FakeOpenAIServer(server, options.fallback ?? { kind: 'stream', text: 'Hello from the fake provider.' });
    server.on('connection', (s) => {
      fake.sockets.add(s);
      s.on('close', () => fake.sockets.delete(s));
    });
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** Queue replies for the next requests. */
  enqueue(...replies: FakeReply[]): this {
    this.script.push(...replies);
    return this;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      // recorded as empty
    }
    this.requests.push({ body, headers: req.headers });
    if (req.url !== '/v1/chat/completions' || req.method !== 'POST') {
      res.writeHead(404).end('{"error":{"message":"not found"}}');
      return;
    }
    const reply = this.script.shift() ?? this.fallback;
    const id = `chatcmpl-${this.requests.length}`;
    switch (reply.kind) {
      case 'status':
        res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
        res.end(reply.body ?? JSON.stringify({ error: { message: `scripted ${reply.status}` } }));
        return;
      case 'hang':
        return; // the client's timeout fires; close() destroys the socket
      case 'reset':
        req.socket.destroy();
        return;
      case 'malformed':
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"choices": [ {"message": ');
        return;
      case 'json':
        if (reply.delayMs) await sleep(reply.delayMs);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            id,
            object: 'chat.completion',
            model: body.model,
            choices: [{ index: 0, message: { role: 'assistant', content: reply.text }, finish_reason: 'stop' }],
            ...(reply.usage ? { usage: { ...reply.usage, total_tokens: reply.usage.prompt_tokens + reply.usage.completion_tokens } } : {}),
          }),
        );
        return;
      case 'stream': {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        const size = reply.chunkSize ?? 4;
        for (let i = 0; i < reply.text.length; i += size) {
          if (reply.delayMs) await sleep(reply.delayMs);
          const delta = { id, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: reply.text.slice(i, i + size) }, finish_reason: null }] };
          res.write(`data: ${JSON.stringify(delta)}\n\n`);
        }
        res.write(`data: ${JSON.stringify({ id, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
        if (reply.usage) {
          const { cached_tokens, ...usage } = reply.usage;
          const full = { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens, ...(cached_tokens === undefined ? {} : { prompt_tokens_details: { cached_tokens } }) };
          res.write(`data: ${JSON.stringify({ id, choices: [], usage: full })}\n\n`);
        }
        res.end('data: [DONE]\n\n');
        return;
      }
    }
  }

  async dispose(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
