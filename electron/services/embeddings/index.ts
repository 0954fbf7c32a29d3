/**
 * Embeddings service: text → vectors (bi-encoders) and (query, passage) → relevance (cross-encoders).
 * Default embedder: USE-Lite (bundled in npm, offline); see `DEFAULT_EMBEDDER_SPEC`.
 */
export type { Embedder, EmbedOptions } from './Embedder.js';
export type { Reranker } from './Reranker.js';
export { DEFAULT_EMBEDDER_SPEC, type EmbedderSpec } from './EmbedderSpec.js';
export { createEmbedder } from './createEmbedder.js';
export { createTokenCounter } from './createTokenCounter.js';
export { TransformersEmbedder, type TransformersEmbedderOptions, type TransformersDtype } from './TransformersEmbedder.js';
export { UseLiteEmbedder, type UseLiteEmbedderOptions } from './UseLiteEmbedder.js';
export { EmbedderWorker, type EmbedderWorkerOptions } from './EmbedderWorker.js';
export { CrossEncoderReranker, type CrossEncoderRerankerOptions } from './CrossEncoderReranker.js';
export { EmbedderMissingError } from './EmbedderMissingError.js';
export { EmbedderLoadError } from './EmbedderLoadError.js';
export { EmbedderDisposedError } from './EmbedderDisposedError.js';
export { EmbeddingCancelledError } from './EmbeddingCancelledError.js';
export { EmbedderWorkerCrashedError } from './EmbedderWorkerCrashedError.js';
export { cosine } from './cosine.js';
export { l2Normalize } from './l2Normalize.js';
export { LazyEmbedder, EmbedderNotLoadedError } from './LazyEmbedder.js';
