import type { CliCommand } from '../CliCommand.js';

/** Headless commands of the Prompting feature. */
export const promptingCliCommands: CliCommand[] = [];
