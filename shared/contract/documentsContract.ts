/**
 * Documents and collections: ingest (files or uploaded bytes), progress, list, re-index, delete, index stats.
 * Spread into `channels`/`events` of `contract.ts`; one module per feature keeps the contract easy to read.
 */
import { z } from 'zod';
import { channel } from './defineContract.js';
import {
  CollectionSummary,
  DeleteResult,
  DocIdsInput,
  DocumentRow,
  DocumentsProgress,
  IndexStats,
  IngestInput,
  IngestResult,
  ListDocumentsInput,
  Passage,
  PassageInput,
} from '../schemas/documents.js';

export const documentsChannels = {
  'documents.list': channel(ListDocumentsInput, z.array(DocumentRow), 'Indexed (and failed) documents with collection, tags, status, chunks, pages and size.'),
  'documents.collections': channel(z.object({}).strict(), z.array(CollectionSummary), 'Collections with their document and chunk counts.'),
  'documents.ingest': channel(
    IngestInput,
    IngestResult,
    'Index files (absolute paths or uploaded bytes) into a collection; per-file results; streams documents.progress.',
  ),
  'documents.reindex': channel(DocIdsInput, IngestResult, 'Parse, chunk and embed documents again from their files; streams documents.progress.'),
  'documents.delete': channel(DocIdsInput, DeleteResult, 'Remove documents and all their chunks from the index.'),
  'documents.stats': channel(z.object({}).strict(), IndexStats, 'Chunk count, index size on disk and the embedder the index uses.'),
  'documents.passage': channel(PassageInput, Passage, 'One chunk with its document, page, offsets and surrounding text (citation panel).'),
} as const;

export const documentsEvents = {
  'documents.progress': DocumentsProgress,
} as const;
