/**
 * Graceful shutdown of the bridge process: a real `serve` child generates once (a ledger row through the
 * instrumented pipeline), receives SIGTERM straight after, and must exit 0 with the data on
 * disk: the ledger rows readable and the app re-openable on the same data dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../handlers/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MODEL = '/work/shared/data/models/stories260K.gguf';

let dir: string;
let child: ChildProcess | undefined;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-shutdown-'));
  await fs.mkdir(path.join(dir, 'static'));
  await fs.writeFile(path.join(dir, 'static', 'index.html'), '<!doctype html><title>Hearth</title>');
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await fs.rm(dir, { recursive: true, force: true });
});

describe('serve: graceful shutdown', () => {
  it.skipIf(!existsSync(MODEL))(
    'flushes the ledger and closes the stores on SIGTERM; the rows survive',
    async () => {
      const dataDir = path.join(dir, 'data');
      child = spawn(process.execPath, ['--import', 'tsx', 'electron/bridge/serve.ts', '--data-dir', dataDir, '--static', path.join(dir, 'static'), '--cpu-only', '--json'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child!.once('exit', (code, signal) => resolve({ code, signal })));
      const first = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child!.stdout! }).once('line', resolve);
        void exited.then(() => reject(new Error(`serve exited early: ${stderr}`)));
      });
      const info = JSON.parse(first) as { origin: string; token: string };
      const call = async (channel: string, input: unknown) => {
        const res = await fetch(`${info.origin}/api/invoke/${channel}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${info.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ input }),
        });
        const body = (await res.json()) as { ok: boolean; data?: unknown; error?: unknown };
        expect(body.ok, `${channel}: ${JSON.stringify(body.error)}`).toBe(true);
        return body.data;
      };
      await call('models.open', { path: MODEL });
      await call('models.load', { path: MODEL, contextSize: 256, threads: 2 });
      const result = (await call('llm.generate', { prompt: 'Once upon a time', maxTokens: 8, temperature: 0, seed: 1 })) as { completionTokens: number };
      expect(result.completionTokens).toBeGreaterThan(0);

      child.kill('SIGTERM');
      const { code, signal } = await exited;
      expect({ code, signal, stderr: stderr.includes('shutdown failed') ? stderr : '' }).toEqual({ code: 0, signal: null, stderr: '' });

      // Re-open the same data dir: the ledger row written just before SIGTERM is there.
      const app = await createApp({ dataDir, cpuOnly: true });
      try {
        expect(app.services.ledger.count()).toBeGreaterThanOrEqual(1);
      } finally {
        await app.dispose();
      }
    },
    180_000,
  );
});
