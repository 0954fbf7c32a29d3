#!/usr/bin/env node
/**
 * `npm run bench:startup [-- --runs N --no-build --source --split]`: start-up time of the bridge build (esbuild bundle of
 * serve.ts, as scripts/buildElectron.mjs makes it; `--source` runs serve.ts through tsx instead), from spawning
 * `serve` to (a) first-contentful-paint and (b) app ready (sidebar nav visible AND the first contract call,
 * `app.info`, answered — the version label appears), in Debian's Chromium driven by Playwright.
 *
 * Baseline, measured the same way in the same run: a plain `node:http` server process serving a static
 * one-line page (FCP needs contentful pixels, so the page is one short paragraph; "ready" = that paragraph
 * visible). Runs alternate baseline/hearth so machine load affects both alike. Reports medians and the
 * hearth/baseline ratio, and ends with one JSON line.
 *
 * Clock: both ends are epoch milliseconds on this machine (`performance.timeOrigin + performance.now()` in
 * Node before spawn, and in the page at the paint/ready moment), so no cross-process clock skew.
 * The browser is launched once, before the runs (its own start-up is not part of either figure); each run
 * uses a fresh context (no cache). Every serve gets a fresh data dir, so this is a cold first start.
 */
/* global window, document */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runs = Math.max(1, Math.min(20, Number(args[args.indexOf('--runs') + 1]) || 5));
const rendererOut = process.env.HEARTH_RENDERER_OUT ?? path.join(os.tmpdir(), 'hearth-bench-startup-renderer');
// The bridge build: serve.ts bundled like scripts/buildElectron.mjs does, into a git-ignored folder of the repo
// (so `packages: 'external'` still resolves node_modules), never touching dist/.
const bridgeOut = path.join(root, '.bench', 'startup-bridge');
const source = args.includes('--source'); // measure `tsx electron/bridge/serve.ts` instead of the bundle
const split = args.includes('--split'); // bundle with esbuild code splitting (see below)
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const epochNow = () => performance.timeOrigin + performance.now();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Spawns a process that prints one JSON line `{url}` when listening; resolves with it and the child. */
async function spawnServer(command, commandArgs) {
  const spawnedAt = epochNow();
  const child = spawn(command, commandArgs, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const line = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s: ${stderr}`)), 60_000);
    readline.createInterface({ input: child.stdout }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return { child, spawnedAt, listeningAt: epochNow(), url: JSON.parse(line).url };
}

async function stopServer(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Opens `url` and returns epoch ms of FCP and of `readyFn` becoming true (checked every animation frame). */
async function measurePage(browser, url, readyFn) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__fcp = new Promise((resolve) => {
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') resolve(performance.timeOrigin + e.startTime);
        }).observe({ type: 'paint', buffered: true });
      });
    });
    await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
    const ready = await page.waitForFunction(readyFn, null, { polling: 'raf', timeout: 60_000 });
    const readyAt = await ready.jsonValue();
    const fcpAt = await page.evaluate(() => window.__fcp);
    return { fcpAt, readyAt };
  } finally {
    await context.close();
  }
}

const hearthReady = () => {
  const nav = document.querySelector('nav[aria-label="Main"]');
  const versionShown = [...document.querySelectorAll('.brand ~ * , nav span')].some((e) => /^v\d/.test(e.textContent ?? ''));
  return nav && nav.getBoundingClientRect().height > 0 && versionShown ? performance.timeOrigin + performance.now() : null;
};
const baselineReady = () => {
  const p = document.querySelector('p');
  return p && p.getBoundingClientRect().height > 0 ? performance.timeOrigin + performance.now() : null;
};

const BASELINE_SERVER = `
const http = require('node:http');
const page = '<!doctype html><html><head><meta charset="utf-8"><title>blank</title></head><body><p>ready</p></body></html>';
const server = http.createServer((req, res) => { res.writeHead(200, {'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store'}); res.end(page); });
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port + '/' })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

async function main() {
  if (!args.includes('--no-build')) {
    process.stderr.write(`building the renderer into ${rendererOut} …\n`);
    execFileSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error'], {
      cwd: root,
      env: { ...process.env, HEARTH_RENDERER_OUT: rendererOut },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  await fs.access(path.join(rendererOut, 'index.html'));
  if (!source) {
    await fs.rm(bridgeOut, { recursive: true, force: true });
    const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', logLevel: 'warning', absWorkingDir: root };
    await Promise.all([
      // --split: code splitting, so serve.ts's dynamic import of the services becomes a lazily loaded chunk
      // (without it esbuild hoists every external import of the services to the top of the one bundle).
      split
        ? build({ ...common, entryPoints: { serve: 'electron/bridge/serve.ts' }, outdir: bridgeOut, splitting: true, chunkNames: 'chunks/[name]-[hash]' })
        : build({ ...common, entryPoints: ['electron/bridge/serve.ts'], outfile: path.join(bridgeOut, 'serve.js') }),
      build({ ...common, entryPoints: ['electron/services/embeddings/embedderWorkerMain.ts'], outfile: path.join(bridgeOut, 'embedderWorkerMain.js') }),
      build({ ...common, entryPoints: ['electron/services/ingest/parseWorker.ts'], outfile: path.join(bridgeOut, 'parseWorker.js') }),
    ]);
  }
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-bench-startup-'));
  const results = { hearth: { listening: [], fcp: [], ready: [] }, baseline: { listening: [], fcp: [], ready: [] } };
  try {
    for (let i = 0; i < runs; i++) {
      for (const kind of ['baseline', 'hearth']) {
        const server =
          kind === 'baseline'
            ? await spawnServer(process.execPath, ['-e', BASELINE_SERVER])
            : await spawnServer(process.execPath, [...(source ? ['--import', 'tsx', 'electron/bridge/serve.ts'] : [path.join(bridgeOut, 'serve.js')]), '--json', '--cpu-only', '--static', rendererOut, '--data-dir', path.join(tmp, `data-${i}`)]);
        try {
          const { fcpAt, readyAt } = await measurePage(browser, server.url, kind === 'baseline' ? baselineReady : hearthReady);
          results[kind].listening.push(server.listeningAt - server.spawnedAt);
          results[kind].fcp.push(fcpAt - server.spawnedAt);
          results[kind].ready.push(readyAt - server.spawnedAt);
          process.stderr.write(`run ${i + 1}/${runs} ${kind.padEnd(8)} listening ${(server.listeningAt - server.spawnedAt).toFixed(0)} ms, fcp ${(fcpAt - server.spawnedAt).toFixed(0)} ms, ready ${(readyAt - server.spawnedAt).toFixed(0)} ms\n`);
        } finally {
          await stopServer(server.child);
        }
      }
    }
  } finally {
    await browser.close();
    await fs.rm(tmp, { recursive: true, force: true });
  }
  const summary = {
    bench: 'startup',
    server: source ? 'tsx electron/bridge/serve.ts' : `esbuild bundle of electron/bridge/serve.ts${split ? ' (code splitting)' : ''}`,
    loadAverage1m: Number(os.loadavg()[0].toFixed(1)),
    runs,
    hearthListeningMedianMs: Math.round(median(results.hearth.listening)),
    hearthFcpMedianMs: Math.round(median(results.hearth.fcp)),
    hearthReadyMedianMs: Math.round(median(results.hearth.ready)),
    baselineListeningMedianMs: Math.round(median(results.baseline.listening)),
    baselineFcpMedianMs: Math.round(median(results.baseline.fcp)),
    baselineReadyMedianMs: Math.round(median(results.baseline.ready)),
  };
  summary.fcpRatio = Number((summary.hearthFcpMedianMs / summary.baselineFcpMedianMs).toFixed(2));
  summary.readyRatio = Number((summary.hearthReadyMedianMs / summary.baselineReadyMedianMs).toFixed(2));
  console.log(`\nstart-up (spawn → paint), median of ${runs} runs, cold data dir each run`);
  console.log(`  hearth   listening ${summary.hearthListeningMedianMs} ms   FCP ${summary.hearthFcpMedianMs} ms   ready ${summary.hearthReadyMedianMs} ms`);
  console.log(`  baseline listening ${summary.baselineListeningMedianMs} ms   FCP ${summary.baselineFcpMedianMs} ms   ready ${summary.baselineReadyMedianMs} ms  (plain node:http, one-line page)`);
  console.log(`  ratio                      FCP ${summary.fcpRatio}x   ready ${summary.readyRatio}x`);
  console.log(JSON.stringify(summary));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
