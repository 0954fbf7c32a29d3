/** Response cache: exact + semantic hits in SQLite, with TTL and document/corpus invalidation. */
export { ResponseCache, type ResponseCacheOptions, type CachedResponse, type CacheHit, type CacheStats, type CachePolicy } from './ResponseCache.js';
export { cacheKey, normalisePromptText, type CacheKey } from './cacheKey.js';
export type { CacheKeyInput, CacheMessage } from './CacheKeyInput.js';
export type { CacheEmbedder } from './CacheEmbedder.js';
export { CacheStorageError } from './CacheStorageError.js';
export { lexicalSignature, sameLexicalSignature } from './lexicalSignature.js';
export { HashingEmbedder } from './testing/HashingEmbedder.js';
