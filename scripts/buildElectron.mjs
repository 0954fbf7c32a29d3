// Builds the Node side with esbuild: main (ESM), preload (CommonJS: sandboxed preloads cannot be ESM),
// the bridge server and the CLI. npm packages stay external (native modules are loaded from node_modules).
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

await Promise.all([
  build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'dist/electron/main.js', format: 'esm', packages: 'external' }),
  build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] }),
  build({ ...common, entryPoints: ['electron/bridge/serve.ts'], outfile: 'dist/bridge/serve.js', format: 'esm', packages: 'external' }),
  // worker-thread entry points, loaded by URL at run time next to the bundles that spawn them
  ...['dist/electron', 'dist/bridge', 'dist/cli'].map((dir) =>
    Promise.all([
      build({ ...common, entryPoints: ['electron/services/embeddings/embedderWorkerMain.ts'], outfile: `${dir}/embedderWorkerMain.js`, format: 'esm', packages: 'external' }),
      build({ ...common, entryPoints: ['electron/services/ingest/parseWorker.ts'], outfile: `${dir}/parseWorker.js`, format: 'esm', packages: 'external' }),
    ]),
  ),
  build({
    ...common,
    entryPoints: ['electron/cli/main.ts'],
    outfile: 'dist/cli/hearth.js',
    format: 'esm',
    packages: 'external',
    banner: { js: '#!/usr/bin/env node' },
  }),
]);
console.log('built dist/electron, dist/bridge, dist/cli');
