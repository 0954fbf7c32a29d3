import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback file server for download journeys: serves one file slowly (so progress, cancel and resume are
 * visible) and honours `Range: bytes=N-`. Deterministic bytes with a known sha256.
 */
export async function startSlowFileServer(file: string, options: { chunkBytes?: number; intervalMs?: number } = {}): Promise<{
  host: string;
  url: (name: string) => string;
  sha256: string;
  size: number;
  ranges: string[];
  close: () => Promise<void>;
}> {
  const body = fs.readFileSync(file);
  const chunk = options.chunkBytes ?? 16 * 1024;
  const interval = options.intervalMs ?? 60;
  const ranges: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range) ranges.push(req.headers.range!);
    let offset = range ? Number(range[1]) : 0;
    res.writeHead(range ? 206 : 200, { 'Content-Length': String(body.length - offset), 'Content-Type': 'application/octet-stream' });
    const timer = setInterval(() => {
      if (res.destroyed) {
        clearInterval(timer);
        timers.delete(timer);
        return;
      }
      const end = Math.min(body.length, offset + chunk);
      res.write(body.subarray(offset, end));
      offset = end;
      if (offset >= body.length) {
        clearInterval(timer);
        timers.delete(timer);
        res.end();
      }
    }, interval);
    timers.add(timer);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    url: (name) => `http://${host}/${name}`,
    sha256: crypto.createHash('sha256').update(body).digest('hex'),
    size: body.length,
    ranges,
    close: async () => {
      for (const t of timers) clearInterval(t);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
