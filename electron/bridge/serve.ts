import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../handlers/defaultDataDir.js';
import type { HearthApp } from '../handlers/index.js';
import { BridgeServer } from './BridgeServer.js';

/**
 * `npm run serve [-- --port N --data-dir DIR --static DIR --cpu-only --json]`: the whole app in a browser,
 * against the real services. Prints the URL (with the per-launch token in its fragment); with --json, prints
 * one JSON line `{url, origin, port, token, dataDir}` for scripts and end-to-end tests.
 *
 * Start-up order: the bridge listens first and serves the renderer while the services load (module loading
 * of node-llama-cpp, LanceDB and transformers.js is most of start-up); API calls wait for the app. So the
 * URL is printed before the services are ready — a call made early simply takes longer. If the services
 * fail to start, the error is printed and the process exits 1.
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
  const appLoading: Promise<HearthApp> = import('../handlers/index.js').then((m) => m.createApp({ dataDir, cpuOnly: args.includes('--cpu-only') }));
  appLoading.catch(() => undefined); // observed below; never an unhandled rejection meanwhile
  const bridge = await BridgeServer.start({
    app: appLoading,
    port: Number(flag('--port') ?? process.env.HEARTH_PORT ?? 0),
    staticDir,
    allowedOrigins: (process.env.HEARTH_DEV_ORIGINS ?? '').split(',').filter(Boolean),
  });
  if (args.includes('--json')) {
    console.log(JSON.stringify({ url: bridge.url, origin: bridge.origin, port: bridge.port, token: bridge.token, dataDir }));
  } else {
    console.log(`Hearth is running at:\n\n  ${bridge.url}\n\nData folder: ${dataDir}\nOnly this machine can connect (127.0.0.1). Press Ctrl+C to stop.`);
  }

  // Graceful shutdown on SIGINT/SIGTERM: stop accepting requests, then flush the ledger and close the index
  // (AppServices.dispose). A second signal, or a shutdown that hangs for 20 s, exits at once with code 1.
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`[hearth] ${signal} again: exiting without waiting for shutdown`);
      process.exit(1);
    }
    stopping = true;
    const watchdog = setTimeout(() => {
      console.error('[hearth] shutdown took longer than 20 s: exiting');
      process.exit(1);
    }, 20_000);
    watchdog.unref();
    try {
      await bridge.dispose();
      const app = await appLoading.catch(() => null); // a signal during start-up waits for the app to close it
      await app?.dispose();
      process.exit(0);
    } catch (error) {
      console.error('[hearth] shutdown failed', error);
      process.exit(1);
    }
  };
  process.on('SIGINT', (s) => void stop(s));
  process.on('SIGTERM', (s) => void stop(s));

  try {
    await appLoading;
  } catch (error) {
    console.error('[hearth] the services failed to start', error);
    await bridge.dispose();
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
