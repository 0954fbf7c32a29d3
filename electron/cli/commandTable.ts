import type { CliCommand } from './CliCommand.js';
import { generateCommand } from './commands/generateCommand.js';
import { modelsInspectCommand, modelsListCommand } from './commands/modelsCommands.js';
import { statsCommand, testPromptsCommand } from './commands/evalCommands.js';
import { documentsCliCommands } from './commands/documentsCommands.js';
import { chatCliCommands } from './commands/chatCommands.js';
import { evalRunCliCommands } from './commands/evalRunCommands.js';
import { promptingCliCommands } from './commands/promptingCommands.js';
import { ledgerCommand, retrievalEvalCommand, schemaBenchCommand } from './commands/serviceCommands.js';

/** Every headless command. Longest command path wins when matching argv. */
export const commandTable: CliCommand[] = [modelsListCommand, modelsInspectCommand, generateCommand, statsCommand, testPromptsCommand, ledgerCommand, schemaBenchCommand, retrievalEvalCommand,
  ...documentsCliCommands, ...chatCliCommands, ...evalRunCliCommands, ...promptingCliCommands];
