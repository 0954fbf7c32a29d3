import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Embedder } from './Embedder.js';
import { EmbedderMissingError } from './EmbedderMissingError.js';
import { EmbedderNotLoadedError, LazyEmbedder } from './LazyEmbedder.js';

/** A counting in-memory embedder (one-hot on text length) standing in for a model. */
function fakeEmbedder(id: string, dims: number, log: string[]): Embedder {
  return {
    id,
    dimensions: dims,
    async embed(texts) {
      log.push(`embed:${texts.length}`);
      return texts.map((t) => Float32Array.from({ length: dims }, (_, i) => (i === t.length % dims ? 1 : 0)));
    },
    countTokens: (t) => t.split(/\s+/).filter(Boolean).length,
    async dispose() {
      log.push('dispose');
    },
  };
}

describe('LazyEmbedder', () => {
  it('knows id and width up front, loads once on first embed, counts tokens only once loaded', async () => {
    const log: string[] = [];
    let loads = 0;
    const lazy = await LazyEmbedder.create({ kind: 'use-lite' }, async () => {
      loads++;
      return fakeEmbedder('use-lite', 512, log);
    });
    expect([lazy.id, lazy.dimensions, lazy.loaded]).toEqual(['use-lite', 512, false]);
    expect(() => lazy.countTokens('a b')).toThrow(EmbedderNotLoadedError);
    const [a, b] = await Promise.all([lazy.embed(['x']), lazy.embed(['yy', 'zzz'])]);
    expect(loads).toBe(1);
    expect(a).toHaveLength(1);
    expect(b![1]![3]).toBe(1);
    expect(lazy.countTokens('one two three')).toBe(3);
    await lazy.dispose();
    await lazy.dispose();
    expect(log.filter((l) => l === 'dispose')).toHaveLength(1);
  });

  it('reads the width of a transformers folder from config.json, and reports a missing folder', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hearth-lazy-'));
    try {
      await mkdir(path.join(dir, 'tiny'));
      await writeFile(path.join(dir, 'tiny', 'config.json'), JSON.stringify({ hidden_size: 48 }));
      const lazy = await LazyEmbedder.create({ kind: 'transformers', modelDir: path.join(dir, 'tiny') }, async () => fakeEmbedder('transformers:tiny', 32, []));
      expect([lazy.id, lazy.dimensions]).toEqual(['transformers:tiny', 48]);
      // the factory's model disagrees with the config: a load error, not a corrupt index later
      await expect(lazy.embed(['x'])).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED' });
      await expect(LazyEmbedder.create({ kind: 'transformers', modelDir: path.join(dir, 'absent') }, async () => fakeEmbedder('x', 1, []))).rejects.toBeInstanceOf(
        EmbedderMissingError,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
