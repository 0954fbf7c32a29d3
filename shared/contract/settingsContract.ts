/**
 * Settings and models channels added for the Settings and Models screens (the original settings.* and models.*
 * channels live in `contract.ts`). Spread into `channels`/`events` of `contract.ts`.
 */
import { z } from 'zod';
import { channel } from './defineContract.js';
import { DownloadFileName, DownloadUrlInput, DownloadUrlResult, PartialDownload } from '../schemas/models.js';

export const settingsChannels = {
  'models.downloadUrl': channel(
    DownloadUrlInput.strict(),
    DownloadUrlResult,
    'Download a model file by URL (resumable, sha256-verified, host must be approved); streams download.progress.',
  ),
  'models.partialDownloads': channel(
    z.object({}).strict(),
    z.array(PartialDownload),
    'URL downloads that stopped part-way, with the bytes already on disk, so they can be continued.',
  ),
  'models.discardPartial': channel(
    z.object({ fileName: DownloadFileName }).strict(),
    z.object({ discarded: z.boolean() }),
    'Delete a partial URL download and what it remembered about it.',
  ),
} as const;

export const settingsEvents = {} as const;
