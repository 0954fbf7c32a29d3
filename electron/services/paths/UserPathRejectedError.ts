import { AppError } from '../../../shared/errors.js';

export type UserPathRejection = 'not-a-string' | 'nul-byte' | 'relative-path' | 'traversal' | 'bad-extension' | 'missing' | 'not-a-file' | 'not-chosen';

/** A path sent by the renderer was refused before any file was opened; `reason` says which rule failed. */
export class UserPathRejectedError extends AppError {
  constructor(
    readonly path: string,
    readonly reason: UserPathRejection,
  ) {
    const why: Record<UserPathRejection, string> = {
      'not-a-string': 'it is not a path',
      'nul-byte': 'it contains a NUL byte',
      'relative-path': 'only absolute paths are accepted',
      traversal: 'it contains ".." segments',
      'bad-extension': 'this file type is not accepted here',
      missing: 'the file does not exist',
      'not-a-file': 'it is a folder or a special file, not a regular file',
      'not-chosen': 'it was not picked in a file dialog',
    };
    super(reason === 'missing' ? 'NOT_FOUND' : 'PATH_NOT_ALLOWED', `Refused "${path.slice(0, 200)}": ${why[reason]}.`, {
      details: { path: path.slice(0, 300), reason },
    });
  }
}
