import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { LocalLlamaProvider } from '../llm/index.js';
import { runExtractionSoak } from './runExtractionSoak.js';
import { soakFeatures, type SoakFeature } from './soakFeatures.js';

const STORIES = '/work/shared/data/models/stories260K.gguf';

let stories: LocalLlamaProvider;
let qwen: LocalLlamaProvider | undefined;
beforeAll(async () => {
  stories = await LocalLlamaProvider.create({ modelPath: STORIES, threads: 2, cpuOnly: true, contextSize: 512 });
});
afterAll(async () => {
  await stories?.dispose();
  await qwen?.dispose();
});

describe.skipIf(!existsSync(STORIES) || !existsSync(fixturePaths.chatGguf))('extraction soak (CI size)', () => {
  it('2 seeded runs per case: no invalid output, every case compiles, every feature covered', async () => {
    const report = await runExtractionSoak({
      provider: stories,
      runsPerCase: 2,
      seed: 2026,
      providerFor: async () => (qwen ??= await LocalLlamaProvider.create({ modelPath: fixturePaths.chatGguf, threads: 2, cpuOnly: true, contextSize: 512 })),
    });
    expect(report.failures).toEqual([]);
    expect(report.invalid).toBe(0);
    expect(report.valid).toBeGreaterThan(report.runs * 0.8);
    expect(report.uncovered).toEqual([]);
    const erroring = Object.entries(report.perCase).filter(([, s]) => s.error !== undefined).map(([n]) => n);
    expect(erroring).toEqual([]);
    expect(report.passed).toBe(true);
    for (const f of Object.keys(soakFeatures) as SoakFeature[]) expect(report.coverage[f].length, f).toBeGreaterThan(0);
  }, 300_000);
});
