import { AppError } from '../../shared/errors.js';
import { defaultDataDir } from '../handlers/defaultDataDir.js';
import type { CliCommand } from './CliCommand.js';
import { commandTable } from './commandTable.js';

export interface RunCliOptions {
  out?: (text: string) => void;
  err?: (text: string) => void;
  commands?: CliCommand[];
}

function usage(commands: CliCommand[]): string {
  return [
    'Usage: hearth <command> [options]   (every command takes --json and --data-dir DIR)',
    '',
    ...commands.map((c) => `  ${c.usage.padEnd(60)} ${c.summary}`),
  ].join('\n');
}

/**
 * Finds the command for argv, runs it and maps failures to exit codes: a typed AppError prints its code and
 * message (as JSON with --json) and exits 1; anything else is a bug and exits 2 with its stack on stderr.
 */
export async function runCli(argv: string[], options: RunCliOptions = {}): Promise<number> {
  const out = options.out ?? ((t: string) => process.stdout.write(t + '\n'));
  const err = options.err ?? ((t: string) => process.stderr.write(t + '\n'));
  const commands = options.commands ?? commandTable;
  const json = argv.includes('--json');
  let dataDir = defaultDataDir();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--data-dir') {
      dataDir = argv[i + 1] ?? dataDir;
      i += 1;
    } else rest.push(argv[i]!);
  }
  if (rest.length === 0 || rest[0] === '--help' || rest[0] === 'help') {
    out(usage(commands));
    return rest.length === 0 ? 1 : 0;
  }
  const command = [...commands]
    .sort((a, b) => b.path.length - a.path.length)
    .find((c) => c.path.every((word, i) => rest[i] === word));
  if (command === undefined) {
    const e = new AppError('INVALID_INPUT', `Unknown command "${rest.slice(0, 2).join(' ')}". Run "hearth help".`);
    if (json) out(JSON.stringify({ ok: false, error: e.toSerialized() }));
    else err(e.message);
    return 1;
  }
  try {
    return await command.run({ argv: rest.slice(command.path.length), json, dataDir, out, err });
  } catch (e) {
    if (e instanceof AppError) {
      if (json) out(JSON.stringify({ ok: false, error: e.toSerialized() }));
      else err(`error [${e.code}]: ${e.message}`);
      return 1;
    }
    err(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 2;
  }
}
