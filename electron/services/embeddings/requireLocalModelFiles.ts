import { access } from 'node:fs/promises';
import path from 'node:path';
import { env } from '@huggingface/transformers';
import { EmbedderMissingError } from './EmbedderMissingError.js';

/**
 * Checks that a transformers.js model folder has the files it will load, then pins transformers.js to local
 * files only (no hub request, ever). A missing file is an EmbedderMissingError naming it, so the UI can offer
 * the download instead of transformers.js failing later with a network error.
 */
export async function requireLocalModelFiles(id: string, modelDir: string, files: readonly string[]): Promise<void> {
  for (const rel of files) {
    const file = path.join(modelDir, rel);
    try {
      await access(file);
    } catch (cause) {
      throw new EmbedderMissingError(id, file, { cause });
    }
  }
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
}
