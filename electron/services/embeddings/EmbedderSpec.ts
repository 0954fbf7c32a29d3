import type { TransformersEmbedderOptions } from './TransformersEmbedder.js';
import type { UseLiteEmbedderOptions } from './UseLiteEmbedder.js';

/**
 * Which embedder to build: a plain, structured-clone-safe description, so the same value can be stored
 * in settings, passed to `createEmbedder` in-process, or sent to an `EmbedderWorker` thread.
 */
export type EmbedderSpec =
  | ({ kind: 'use-lite' } & UseLiteEmbedderOptions)
  | ({ kind: 'transformers' } & TransformersEmbedderOptions);

/**
 * The default embedder: USE-Lite. It ships inside npm (no download, works offline on first launch),
 * so ingestion works before the user has picked anything; the Models screen offers better
 * transformers.js models (MiniLM/BGE class), which become `{kind: 'transformers', modelDir}`.
 * Changing embedder changes `Embedder.id`, which the retrieval index uses to require a re-embed.
 */
export const DEFAULT_EMBEDDER_SPEC: EmbedderSpec = Object.freeze({ kind: 'use-lite' });
