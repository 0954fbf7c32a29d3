/** What each CLI command gets: its own arguments, and where to write. */
export interface CliIo {
  /** Arguments after the command words, e.g. for `models inspect x.gguf --json`: ['x.gguf', '--json']. */
  argv: string[];
  json: boolean;
  dataDir: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface CliCommand {
  /** Command words, e.g. ['models', 'inspect']. */
  path: string[];
  usage: string;
  summary: string;
  /** Returns the process exit code. Throwing an AppError prints it (as JSON with --json) and exits 1. */
  run(io: CliIo): Promise<number>;
}
