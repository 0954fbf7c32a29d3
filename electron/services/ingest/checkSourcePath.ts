import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { SourceMissingError, SourcePathRejectedError } from './errors.js';

/**
 * Accepts a path to ingest only if it is absolute and resolves (through symlinks) to an existing
 * regular file; returns the resolved real path. Folders, devices, FIFOs and relative paths are
 * refused, so a renderer can only name files the user picked, never make us walk a directory.
 */
export async function checkSourcePath(p: string): Promise<string> {
  if (!path.isAbsolute(p)) throw new SourcePathRejectedError(p, 'relative-path');
  let real: string;
  try {
    real = await realpath(p);
  } catch {
    throw new SourceMissingError(p);
  }
  const st = await stat(real);
  if (!st.isFile()) throw new SourcePathRejectedError(p, 'not-a-file');
  return real;
}
