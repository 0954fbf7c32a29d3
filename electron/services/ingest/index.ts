export { Ingestor, documentIdForPath, type IngestFileResult, type IngestFileStatus, type IngestOptions, type IngestPhase, type IngestProgress, type IngestReport } from './Ingestor.js';
export { chunkDocument, type ChunkOptions, type TextChunk, type TextSpan } from './chunkDocument.js';
export { parseFile, SUPPORTED_EXTENSIONS, DEFAULT_MAX_BYTES, type ParseFileOptions } from './parseFile.js';
export { ParseWorkerPool } from './ParseWorkerPool.js';
export { ParseWorkerCrashedError } from './ParseWorkerCrashedError.js';
export { PAGE_SEPARATOR, pageAt, type DocumentFormat, type ParsedDocument, type ParsedPage } from './ParsedDocument.js';
export * from './errors.js';
/** Fixture builders (hand-written PDF / DOCX / zip bytes) for tests and benchmarks of any service. */
export { buildPdf, buildDocx, buildZip } from './testing/buildTestFiles.js';
export { stageUpload, safeUploadName } from './stageUpload.js';
export { checkSourcePath } from './checkSourcePath.js';
