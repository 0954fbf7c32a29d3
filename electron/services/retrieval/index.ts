export type { Embedder, Reranker } from './EmbedderContract.js';
export {
  DocumentStore,
  EmbedderMismatchError,
  type ChunkAddress,
  type ChunkHit,
  type ChunkRow,
  type DocumentRecord,
  type DocumentStatus,
  type DocumentStoreOptions,
  type PassageRow,
  type RowRef,
  type ScoredChunkRef,
  type StoredChunk,
  type VectorIndexType,
  type VectorSearchOptions,
} from './DocumentStore.js';
export {
  HybridRetriever,
  RerankerMissingError,
  RETRIEVAL_MODES,
  type HybridRetrieverOptions,
  type RetrievalMode,
  type RetrievedPassage,
  type RetrieveOptions,
  type RowFetch,
} from './HybridRetriever.js';
export { chunkFilterToSql, type ChunkFilter } from './chunkFilterToSql.js';
export { sqlLiteral, FilterValueError } from './sqlLiteral.js';
/** Test double (hashed bag-of-words), exported for other services' tests; never use in the product. */
export { HashingEmbedder } from './testing/HashingEmbedder.js';
export {
  compressContext,
  splitSentences,
  type CompressContextOptions,
  type CompressedPassage,
  type CompressiblePassage,
  type KeptSentence,
} from './compressContext.js';
export { RetrievalMetrics, type Judgments } from './RetrievalMetrics.js';
export {
  runRetrievalEval,
  readBeirDataset,
  DatasetInvalidError,
  type RetrievalEvalOptions,
  type RetrievalEvalReport,
  type RetrievalEvalResult,
} from './runRetrievalEval.js';
