import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The renderer is one static build (dist/renderer) loaded by Electron from disk and by the loopback bridge
 * over HTTP. React's JSX is compiled by esbuild (no Babel plugin needed for a production build).
 * `npm run dev` proxies /api to a running bridge (HEARTH_BRIDGE=http://127.0.0.1:PORT).
 */
export default defineConfig({
  root: here,
  base: './',
  esbuild: { jsx: 'automatic' },
  build: {
    // HEARTH_RENDERER_OUT lets parallel builds (e.g. several e2e runs) use their own folder.
    outDir: process.env.HEARTH_RENDERER_OUT ?? path.join(here, '..', 'dist', 'renderer'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: process.env.HEARTH_BRIDGE ? { '/api': { target: process.env.HEARTH_BRIDGE, changeOrigin: false } } : {},
  },
});
