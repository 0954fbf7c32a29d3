import type { Embedder } from './Embedder.js';
import { DEFAULT_EMBEDDER_SPEC, type EmbedderSpec } from './EmbedderSpec.js';

/**
 * Builds an in-process embedder from a spec; defaults to USE-Lite (see `DEFAULT_EMBEDDER_SPEC`).
 * For ingestion off the main thread use `EmbedderWorker.create(spec)`. Each runtime is imported on
 * demand (tfjs for USE-Lite, onnxruntime for transformers.js), so a process only pays for the one it uses.
 */
export async function createEmbedder(spec: EmbedderSpec = DEFAULT_EMBEDDER_SPEC): Promise<Embedder> {
  switch (spec.kind) {
    case 'use-lite':
      return (await import('./UseLiteEmbedder.js')).UseLiteEmbedder.create({ batchSize: spec.batchSize });
    case 'transformers':
      return (await import('./TransformersEmbedder.js')).TransformersEmbedder.create(spec);
  }
}
