import { defineConfig } from 'vitest/config';

/**
 * Two projects: plain unit tests run in parallel threads; tests that load a model (node-llama-cpp,
 * onnxruntime) run in one forked worker so a single native runtime is shared and memory stays bounded.
 * A model test names itself `*.model.test.ts`.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'models/**/*.test.ts'],
          exclude: ['**/*.model.test.ts', '**/node_modules/**'],
          pool: 'threads',
          testTimeout: 30_000,
        },
      },
      {
        // Pure renderer logic (schema builder, formatting, exports): no DOM needed.
        test: {
          name: 'renderer',
          include: ['renderer/src/**/*.test.ts'],
          pool: 'threads',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'model',
          include: ['electron/**/*.model.test.ts', 'models/**/*.model.test.ts'],
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 180_000,
          hookTimeout: 300_000,
          globalSetup: ['models/fixtures/ensureFixtures.ts'],
        },
      },
    ],
  },
});
