export { DatasetCase, Json, type Dataset, type DatasetKind } from './DatasetCase.js';
export { DatasetInvalidError } from './DatasetInvalidError.js';
export { parseDatasetJsonl, serializeDatasetJsonl, canonicalJson, type DatasetLineError, type ParsedDataset } from './parseDatasetJsonl.js';
export { DatasetStore, type DatasetVersion } from './DatasetStore.js';
