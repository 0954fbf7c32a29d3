export * from './errors.js';
export * from './contract/index.js';
export * from './schemas/models.js';
export * from './schemas/generation.js';
export * from './schemas/settings.js';
export * from './schemas/extraction.js';
