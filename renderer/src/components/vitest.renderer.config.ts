import { defineConfig } from 'vitest/config';

/**
 * Unit tests of the renderer's pure modules (no DOM needed): `npm run test:renderer`.
 * Lives here because the root vitest config only covers shared/, electron/ and models/.
 */
export default defineConfig({
  test: {
    root: new URL('../../..', import.meta.url).pathname,
    include: ['renderer/src/**/*.test.ts'],
    pool: 'threads',
  },
});
