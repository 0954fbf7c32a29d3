import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, defaultDataDir } from '../handlers/index.js';
import { BridgeServer } from './BridgeServer.js';

/**
 * `npm run serve [-- --port N --data-dir DIR --json]`: the whole app in a browser, against the real services.
 * Prints the URL (with the per-launch token in its fragment); with --json, prints one JSON line
 * `{url, origin, port, token, dataDir}` for scripts and end-to-end tests.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const dataDir = path.resolve(flag('--data-dir') ?? defaultDataDir());
  const here = path.dirname(fileURLToPath(import.meta.url));
  const staticDir = path.resolve(flag('--static') ?? path.join(here, '..', '..', 'dist', 'renderer'));
  const app = await createApp({ dataDir });
  const bridge = await BridgeServer.start({
    app,
    port: Number(flag('--port') ?? process.env.HEARTH_PORT ?? 0),
    staticDir,
    allowedOrigins: (process.env.HEARTH_DEV_ORIGINS ?? '').split(',').filter(Boolean),
  });
  if (args.includes('--json')) {
    console.log(JSON.stringify({ url: bridge.url, origin: bridge.origin, port: bridge.port, token: bridge.token, dataDir }));
  } else {
    console.log(`Hearth is running at:\n\n  ${bridge.url}\n\nData folder: ${dataDir}\nOnly this machine can connect (127.0.0.1). Press Ctrl+C to stop.`);
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await bridge.dispose();
    await app.dispose();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
