import type { CliCommand } from '../CliCommand.js';

/** Headless commands of the Documents feature. */
export const documentsCliCommands: CliCommand[] = [];
