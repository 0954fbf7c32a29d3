/**
 * The cost ledger as the Costs screen sees it: reports, budgets, alerts, prices, local-vs-cloud, export.
 * Spread into `channels`/`events` of `contract.ts`; one module per feature keeps the contract easy to read.
 */
export const costsChannels = {} as const;

export const costsEvents = {} as const;
