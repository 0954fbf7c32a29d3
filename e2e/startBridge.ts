import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Starts `serve` (the real bridge + services) on a free loopback port with a throwaway data folder and the
 * generated fixture models, and hands its URL and token to the tests through the environment.
 * Returns the teardown that stops it.
 */
export default async function startBridge(): Promise<() => Promise<void>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-e2e-'));
  const fixtureDir = process.env.HEARTH_FIXTURE_DIR ?? path.join(root, '.fixtures');
  const rendererDir = process.env.HEARTH_RENDERER_DIR ?? path.join(root, 'dist', 'renderer');
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error('Build the renderer first: npm run build:renderer');
  }
  const args = ['--import', 'tsx', 'electron/bridge/serve.ts', '--port', '0', '--json', '--data-dir', dataDir, '--static', rendererDir];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, HEARTH_EXTRA_MODEL_DIRS: path.join(fixtureDir, 'gguf') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
    setTimeout(() => reject(new Error('serve did not start within 60 s')), 60_000);
  });
  const info = JSON.parse(line) as { url: string; origin: string; token: string };
  process.env.HEARTH_E2E_URL = info.url;
  process.env.HEARTH_E2E_ORIGIN = info.origin;
  process.env.HEARTH_E2E_TOKEN = info.token;
  process.env.HEARTH_E2E_DATA_DIR = dataDir;
  return async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
