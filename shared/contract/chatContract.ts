/**
 * Grounded chat over documents: retrieval, streamed answers with grammar-constrained citations, history.
 * Spread into `channels`/`events` of `contract.ts`; one module per feature keeps the contract easy to read.
 */
export const chatChannels = {} as const;

export const chatEvents = {} as const;
