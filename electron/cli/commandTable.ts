import type { CliCommand } from './CliCommand.js';
import { generateCommand } from './commands/generateCommand.js';
import { modelsInspectCommand, modelsListCommand } from './commands/modelsCommands.js';
import { statsCommand, testPromptsCommand } from './commands/evalCommands.js';
import { ledgerCommand, retrievalEvalCommand, schemaBenchCommand } from './commands/serviceCommands.js';

/** Every headless command. Longest command path wins when matching argv. */
export const commandTable: CliCommand[] = [modelsListCommand, modelsInspectCommand, generateCommand, statsCommand, testPromptsCommand, ledgerCommand, schemaBenchCommand, retrievalEvalCommand];
