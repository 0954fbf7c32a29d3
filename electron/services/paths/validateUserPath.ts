import fs from 'node:fs/promises';
import path from 'node:path';
import { UserPathRejectedError } from './UserPathRejectedError.js';

export interface ValidateUserPathOptions {
  /** Lower-case extensions with the dot, e.g. `['.gguf']`. Required: there is no "any file" default. */
  extensions: readonly string[];
  /**
   * When given, the resolved real path must be one of these (files the user picked in the native dialog,
   * see `UserChosenFiles`). Default: not checked (the CLI and the bridge have no dialog).
   */
  chosen?: { has(realPath: string): boolean };
}

/**
 * Validates a file path that came from the renderer (or any untrusted caller) before a handler opens it:
 * a string, no NUL byte, absolute, no `..` segment, an allowed extension, and — after resolving symlinks — an
 * existing regular file whose real path still has an allowed extension (a `model.gguf` symlink to
 * `/etc/shadow` is refused). Returns the real path, which is what the caller must open (no TOCTOU on the
 * link). Throws `UserPathRejectedError` (PATH_NOT_ALLOWED, or NOT_FOUND for a missing file).
 *
 * For `models.open`/`models.inspect` use `{extensions: ['.gguf']}`.
 */
export async function validateUserPath(input: unknown, options: ValidateUserPathOptions): Promise<string> {
  if (typeof input !== 'string' || input.length === 0 || input.length > 4096) throw new UserPathRejectedError(String(input).slice(0, 200), 'not-a-string');
  if (input.includes('\0')) throw new UserPathRejectedError(input.replace(/\0/g, '\\0'), 'nul-byte');
  if (!path.isAbsolute(input)) throw new UserPathRejectedError(input, 'relative-path');
  if (input.split(/[\\/]/).includes('..')) throw new UserPathRejectedError(input, 'traversal');
  const allowed = options.extensions.map((e) => e.toLowerCase());
  const hasAllowedExtension = (p: string) => allowed.includes(path.extname(p).toLowerCase());
  if (!hasAllowedExtension(input)) throw new UserPathRejectedError(input, 'bad-extension');
  let real: string;
  try {
    real = await fs.realpath(input);
  } catch {
    throw new UserPathRejectedError(input, 'missing');
  }
  const stat = await fs.stat(real);
  if (!stat.isFile()) throw new UserPathRejectedError(input, 'not-a-file');
  if (!hasAllowedExtension(real)) throw new UserPathRejectedError(input, 'bad-extension');
  if (options.chosen !== undefined && !options.chosen.has(real)) throw new UserPathRejectedError(input, 'not-chosen');
  return real;
}
