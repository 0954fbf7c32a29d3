import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { ensureLoraFixture } from '../../../models/fixtures/lora/ensureLoraFixture.js';
import { loraFixtureRecipe } from '../../../models/fixtures/lora/loraFixtureRecipe.js';
import { writeLoraAdapterGguf } from '../../../models/fixtures/lora/writeLoraAdapterGguf.js';
import { LoraAdapterLoadError } from './LoraAdapterLoadError.js';
import { runLoraAB } from './runLoraAB.js';

let adapterPath: string;
let dir: string;
const cases = [
  { id: 'france', prompt: 'The capital of France is', reference: ' Paris' },
  { id: 'story', prompt: 'Once upon a time', reference: ' there was' },
];

beforeAll(async () => {
  adapterPath = await ensureLoraFixture();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-lora-ab-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('runLoraAB on the qwen2 fixture and its generated LoRA', () => {
  it('the adapter loads through node-llama-cpp and changes the output distribution; the A/B is paired on log-prob', async () => {
    const r = await runLoraAB({ modelPath: fixturePaths.chatGguf, adapterPath, cases, greedyTokens: 4, maxReferenceTokens: 2, threads: 2, contextSize: 256 });
    expect(r.cases.map((c) => c.id)).toEqual(['france', 'story']);
    for (const c of r.cases) {
      for (const side of [c.base, c.adapter]) {
        expect(side.greedyTokens.length).toBeGreaterThan(0);
        expect(Number.isFinite(side.referenceLogProb) && side.referenceLogProb < 0).toBe(true);
        expect(side.top1.probability).toBeGreaterThan(0);
      }
      expect(c.totalVariation).toBeGreaterThan(0.05);
      expect(c.base.referenceLogProb).not.toBe(c.adapter.referenceLogProb);
    }
    expect(r.greedyChangedRate).toBeGreaterThan(0);
    expect(r.ab).toMatchObject({ n: { a: 2, b: 2 }, paired: true, kind: 'numeric' });
    expect(r.ab.meanA).toBeCloseTo(r.cases.reduce((s, c) => s + c.base.referenceLogProb, 0) / 2, 9);
    expect(r.ab.difference).toBeCloseTo(r.ab.meanB - r.ab.meanA, 9);
  });

  it('scale 0 reproduces the base model exactly (so the difference above is the adapter)', async () => {
    const r = await runLoraAB({ modelPath: fixturePaths.chatGguf, adapterPath, scale: 0, cases: cases.slice(0, 1), greedyTokens: 4, maxReferenceTokens: 1, threads: 2, contextSize: 256 });
    const c = r.cases[0]!;
    expect(c.firstDivergence).toBeNull();
    expect(c.adapter.greedyTokens).toEqual(c.base.greedyTokens);
    expect(c.totalVariation).toBeLessThan(1e-4);
  });

  it('an adapter whose shapes do not fit the base model is a typed LoraAdapterLoadError', async () => {
    const wrong = path.join(dir, 'wrong-shape.gguf');
    await writeLoraAdapterGguf(wrong, { ...loraFixtureRecipe, nEmbd: 128, nFf: 256 });
    const err = await runLoraAB({ modelPath: fixturePaths.chatGguf, adapterPath: wrong, cases: cases.slice(0, 1), threads: 2, contextSize: 256 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoraAdapterLoadError);
    expect(err).toMatchObject({ code: 'MODEL_LOAD_FAILED', adapterPath: wrong });
  });
});
