/**
 * Settings and models channels added for the Settings and Models screens (the original settings.* and models.*
 * channels live in `contract.ts`). Spread into `channels`/`events` of `contract.ts`.
 */
export const settingsChannels = {} as const;

export const settingsEvents = {} as const;
