import type { CliCommand } from '../CliCommand.js';

/** Headless commands of the Chat feature. */
export const chatCliCommands: CliCommand[] = [];
