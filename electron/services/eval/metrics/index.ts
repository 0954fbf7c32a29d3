export type { MetricResult } from './MetricResult.js';
export { exactMatch, normalizedMatch, normalizeSquad, tokenF1, inSet, regexMatch, contains } from './textMetrics.js';
export { jsonValid, schemaValid, parseJsonOutput } from './jsonMetrics.js';
export { fieldF1, flattenJson, type FieldScores, type ArrayMode } from './fieldF1.js';
export { numericTolerance, parseFirstNumber } from './numericTolerance.js';
export { latencyMetric, costMetric, LedgerRowMissingError, type LedgerCostRow, type LedgerLookup } from './operationalMetrics.js';
