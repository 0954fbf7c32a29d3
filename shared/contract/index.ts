export * from './contract.js';
export * from './defineContract.js';
export * from './envelope.js';
export * from './createApiClient.js';
