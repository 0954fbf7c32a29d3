import type { CliCommand } from '../CliCommand.js';

/** Headless commands of the EvalRun feature. */
export const evalRunCliCommands: CliCommand[] = [];
