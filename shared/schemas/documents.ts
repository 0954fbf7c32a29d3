import { z } from 'zod';
import { SerializedAppError } from '../errors.js';

/**
 * Largest single uploaded file, in decoded bytes. The bridge caps a request body at 16 MiB and base64
 * adds a third, so 10 MiB per file (and {@link MAX_UPLOAD_TOTAL_BYTES} per request) always fits;
 * bigger files go through a file path (Electron's picker), where the ingest cap is 100 MiB.
 */
export const MAX_UPLOAD_BYTES = 10 * 2 ** 20;
/** All uploaded files of one request together, decoded. */
export const MAX_UPLOAD_TOTAL_BYTES = 11 * 2 ** 20;

/** A collection name: what the user typed, trimmed; letters, digits, space, `-`, `_`, `.`. */
export const CollectionName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _.-]*$/u, 'Use letters, digits, spaces, "-", "_" or "." (starting with a letter or digit).');

export const Tag = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _.:-]*$/u, 'Tags use letters, digits, spaces, "-", "_", "." or ":".');

/** One file the renderer read itself (drag-and-drop, `<input type=file>`); the bridge can only carry bytes. */
export const UploadedFile = z
  .object({
    /** The file's own name (no folders); sanitized again on the server. */
    name: z.string().min(1).max(255),
    /** Its bytes, base64. Length is bounded by the transport; the decoded size is checked per file. */
    bytesBase64: z.string().max(Math.ceil((16 * 2 ** 20 * 4) / 3)),
  })
  .strict();
export type UploadedFile = z.infer<typeof UploadedFile>;

export const IngestInput = z
  .object({
    /** Absolute paths of regular files the user picked (Electron dialog, CLI). */
    paths: z.array(z.string().min(1).max(4096)).max(1000).default([]),
    /** Uploaded file bytes (browser/bridge). */
    files: z.array(UploadedFile).max(100).default([]),
    collection: CollectionName.default('default'),
    tags: z.array(Tag).max(20).default([]),
  })
  .strict()
  .refine((v) => v.paths.length + v.files.length > 0, { message: 'Give at least one file (paths or files).' });
export type IngestInput = z.input<typeof IngestInput>;

export const IngestFileStatus = z.enum(['indexed', 'unchanged', 'duplicate', 'error']);

/** The outcome for one file of an ingest: each file succeeds or fails on its own. */
export const IngestFileOutcome = z.object({
  /** Display name (the upload's name or the path's base name). */
  name: z.string(),
  /** Where the file is on disk (uploads: under the data folder); null when it was rejected before being written. */
  path: z.string().nullable(),
  docId: z.string().nullable(),
  status: IngestFileStatus,
  chunks: z.number().int().nonnegative(),
  pages: z.number().int().nonnegative(),
  /** For 'duplicate': the document already holding the same content. */
  duplicateOf: z.string().nullable(),
  /** For 'error': DOCUMENT_* / UNSUPPORTED_FORMAT / PATH_NOT_ALLOWED, with details. */
  error: SerializedAppError.nullable(),
});
export type IngestFileOutcome = z.infer<typeof IngestFileOutcome>;

export const IngestResult = z.object({
  files: z.array(IngestFileOutcome),
  chunksIndexed: z.number().int().nonnegative(),
  elapsedMs: z.number().nonnegative(),
});
export type IngestResult = z.infer<typeof IngestResult>;

export const IngestPhase = z.enum(['queued', 'parse', 'chunk', 'embed', 'index', 'done', 'error']);

/** Streamed while an ingest/re-index runs, keyed by the request id of the call. */
export const DocumentsProgress = z.object({
  requestId: z.string(),
  /** Display name of the file this event is about (matches `IngestFileOutcome.name`). */
  file: z.string(),
  phase: IngestPhase,
  filesDone: z.number().int().nonnegative(),
  filesTotal: z.number().int().nonnegative(),
  chunksDone: z.number().int().nonnegative(),
  /** Chunks known so far (grows as files are chunked). */
  chunksTotal: z.number().int().nonnegative(),
  /** Chunks embedded and written so far (same as chunksDone once a batch is stored). */
  embedded: z.number().int().nonnegative(),
  /** Estimated ms to finish; null until there is throughput to go on. */
  etaMs: z.number().nonnegative().nullable(),
  /** With phase 'error'. */
  error: SerializedAppError.optional(),
});
export type DocumentsProgress = z.infer<typeof DocumentsProgress>;

export const DocumentStatus = z.enum(['indexed', 'pending', 'error']);

/** One row of the documents table. */
export const DocumentRow = z.object({
  docId: z.string(),
  name: z.string(),
  path: z.string(),
  title: z.string(),
  format: z.string(),
  collection: z.string(),
  tags: z.array(z.string()),
  /** 'error': the last ingest of this file failed (an earlier indexed version, if any, is kept and counted). */
  status: DocumentStatus,
  chunks: z.number().int().nonnegative(),
  pages: z.number().int().nonnegative(),
  /** Size of the source file, or null if it is gone. */
  bytes: z.number().int().nonnegative().nullable(),
  error: SerializedAppError.nullable(),
  /** Epoch ms of the last (attempted) ingest. */
  updatedAt: z.number(),
});
export type DocumentRow = z.infer<typeof DocumentRow>;

export const ListDocumentsInput = z.object({ collection: z.string().optional() }).strict();

export const CollectionSummary = z.object({
  name: z.string(),
  documents: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
});
export type CollectionSummary = z.infer<typeof CollectionSummary>;

export const DocIdsInput = z.object({ docIds: z.array(z.string().min(1).max(200)).min(1).max(1000) }).strict();

export const DeleteResult = z.object({
  deleted: z.array(z.string()),
  /** Ids that were not found (already deleted). */
  missing: z.array(z.string()),
  chunksRemoved: z.number().int().nonnegative(),
});

export const IndexStats = z.object({
  documents: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
  collections: z.number().int().nonnegative(),
  /** Bytes the index folder takes on disk (all LanceDB versions not yet compacted away). */
  indexBytes: z.number().int().nonnegative(),
  embedder: z.object({ id: z.string(), dimensions: z.number().int().positive(), loaded: z.boolean() }),
  /** Bumped by every ingest/delete; caches key on it. */
  corpusVersion: z.number().int().nonnegative(),
});
export type IndexStats = z.infer<typeof IndexStats>;

export const PassageInput = z.object({ chunkId: z.string().min(1).max(300) }).strict();

/** What the citation panel shows for one chunk. */
export const Passage = z.object({
  chunkId: z.string(),
  docId: z.string(),
  name: z.string(),
  title: z.string(),
  path: z.string(),
  collection: z.string(),
  page: z.number().int(),
  pageEnd: z.number().int(),
  /** The chunk text; `charStart..charEnd` are its offsets in the parsed document text. */
  text: z.string(),
  charStart: z.number().int(),
  charEnd: z.number().int(),
  /** Surrounding text: the parent section (parent-document mode) or the neighbouring chunks merged. */
  context: z.object({
    text: z.string(),
    charStart: z.number().int(),
    charEnd: z.number().int(),
    /** Where the chunk sits inside `context.text`. */
    matchStart: z.number().int(),
    matchEnd: z.number().int(),
  }),
});
export type Passage = z.infer<typeof Passage>;
