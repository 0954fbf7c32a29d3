/** Paths from untrusted callers (the renderer, the bridge): validated before any handler opens them. */
export { validateUserPath, type ValidateUserPathOptions } from './validateUserPath.js';
export { UserPathRejectedError } from './UserPathRejectedError.js';
export { UserChosenFiles } from './UserChosenFiles.js';
