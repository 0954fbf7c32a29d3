/**
 * The embedder/reranker contract retrieval codes against, re-exported from the embeddings service
 * (implementations: UseLiteEmbedder, TransformersEmbedder, EmbedderWorker, CrossEncoderReranker).
 */
export type { Embedder, Reranker } from '../embeddings/index.js';
