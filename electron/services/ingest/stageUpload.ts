import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DocumentTooLargeError, SourcePathRejectedError } from './errors.js';

/**
 * The file name an uploaded file is stored under, or `SourcePathRejectedError('unsafe-name')`.
 * Names are rejected, not repaired, when they try to leave the folder ('/', '\\', '..') or hide
 * (leading '.'), or carry control characters: a legitimate browser upload never has those, so a
 * repaired name would only hide an attack. Other odd characters (quotes, '*', ':' …) become '_'
 * so the name is valid on every OS.
 */
export function safeUploadName(name: string): string {
  const trimmed = name.trim();
  // eslint-disable-next-line no-control-regex
  if (trimmed.length === 0 || /[/\\\u0000-\u001f\u007f]/.test(trimmed) || trimmed.startsWith('.')) {
    throw new SourcePathRejectedError(name, 'unsafe-name');
  }
  const cleaned = trimmed.replace(/[^\p{L}\p{N} ._()+,=@#-]/gu, '_');
  if (Buffer.byteLength(cleaned) > 200) throw new SourcePathRejectedError(name, 'unsafe-name');
  return cleaned;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Writes one uploaded file to `<dir>/<safe name>` (atomically: temp file + rename) and returns its
 * absolute path. Same name in the same folder replaces the earlier upload (the index then treats it
 * as the same document: unchanged content is skipped, changed content re-indexed).
 * @param maxBytes decoded size cap; larger uploads are `DocumentTooLargeError` and nothing is written.
 */
export async function stageUpload(dir: string, upload: { name: string; bytesBase64: string }, maxBytes: number): Promise<string> {
  const name = safeUploadName(upload.name);
  const b64 = upload.bytesBase64.replace(/\s+/g, '');
  // base64 → bytes is 3/4 of the length, minus padding: check before decoding anything big
  const size = Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
  if (size > maxBytes) throw new DocumentTooLargeError(name, size, maxBytes);
  if (b64.length % 4 !== 0 || !BASE64.test(b64)) throw new SourcePathRejectedError(upload.name, 'not-a-file');
  const root = path.resolve(dir);
  const target = path.join(root, name);
  if (path.dirname(target) !== root) throw new SourcePathRejectedError(upload.name, 'unsafe-name');
  await mkdir(root, { recursive: true });
  const tmp = path.join(root, `.upload-${randomBytes(6).toString('hex')}`);
  try {
    await writeFile(tmp, Buffer.from(b64, 'base64'));
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return target;
}
