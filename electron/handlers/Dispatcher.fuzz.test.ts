import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { snapshotDir as snapshot } from './testing/snapshotDir.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelNames, EnvelopeSchema } from '../../shared/contract/index.js';
import { createApp, type HearthApp } from './createApp.js';

let dir: string;
let app: HearthApp;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-fuzz-'));
  app = await createApp({ dataDir: dir, cpuOnly: true });
});
afterAll(async () => {
  await app.dispose();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the handler table under malformed payloads', () => {
  it('answers every call with a well-formed envelope, never crashes, and writes nothing for rejected input', async () => {
    const channel = fc.oneof(fc.constantFrom(...channelNames), fc.string({ maxLength: 40 }));
    const payload = fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ path: fc.string(), contextSize: fc.integer(), requestId: fc.string() }, { requiredKeys: [] }),
      fc.record({ target: fc.anything({ maxDepth: 2 }), input: fc.anything({ maxDepth: 1 }) }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(channel, payload, async (name, input) => {
        const before = await snapshot(dir);
        const envelope = await app.dispatcher.dispatch(name, input, { transport: 'bridge' });
        expect(EnvelopeSchema.safeParse(envelope).success).toBe(true);
        if (!envelope.ok) {
          expect(envelope.error.code).not.toBe('INTERNAL'); // every failure is a typed, explained one
          expect(JSON.stringify(envelope)).not.toMatch(/\n\s+at /); // no stack trace crosses the boundary
          if (envelope.error.code === 'INVALID_INPUT' || envelope.error.code === 'UNKNOWN_CHANNEL') {
            expect(await snapshot(dir)).toBe(before);
          }
        }
      }),
      { numRuns: 300, seed: 20261127 },
    );
  });
});
