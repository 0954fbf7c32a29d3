/**
 * Documents and collections: ingest (files or uploaded bytes), progress, list, re-index, delete, index stats.
 * Spread into `channels`/`events` of `contract.ts`; one module per feature keeps the contract easy to read.
 */
export const documentsChannels = {} as const;

export const documentsEvents = {} as const;
