/**
 * The eval workbench: datasets, runs, A/B tests, results.
 * Spread into `channels`/`events` of `contract.ts`; one module per feature keeps the contract easy to read.
 */
export const evalChannels = {} as const;

export const evalEvents = {} as const;
