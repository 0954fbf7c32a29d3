import { AppError } from '../../../shared/errors.js';
import { providerGenerate, runEvalCommand } from '../../services/eval/index.js';
import { LocalLlamaProvider } from '../../services/llm/index.js';
import type { CliCommand, CliIo } from '../CliCommand.js';

/** Takes `--model <gguf>` (and `--threads N`) out of argv: the rest goes to the eval service's own parser. */
function takeModelFlags(argv: string[]): { model: string | undefined; threads: number | undefined; rest: string[] } {
  const rest: string[] = [];
  let model: string | undefined;
  let threads: number | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--model') model = argv[++i];
    else if (argv[i] === '--threads') threads = Number(argv[++i]);
    else rest.push(argv[i]!);
  }
  return { model, threads, rest };
}

async function delegate(words: string[], io: CliIo): Promise<number> {
  const { model, threads, rest } = takeModelFlags(io.argv);
  const provider =
    model === undefined ? undefined : await LocalLlamaProvider.create({ modelPath: model, ...(threads === undefined ? {} : { threads }) });
  try {
    return await runEvalCommand([...words, ...rest], {
      json: io.json,
      out: io.out,
      ...(provider === undefined ? {} : { generate: providerGenerate(provider) }),
    });
  } finally {
    await provider?.dispose();
  }
}

export const statsCommand: CliCommand = {
  path: ['stats'],
  usage: 'stats welch|paired-t|wilcoxon|mcnemar|bootstrap|ab --a <file> --b <file> [--seed N] [--json]',
  summary: 'Significance tests and bootstrap CIs on two files of numbers (one per line).',
  run: (io) => delegate(['stats'], io),
};

export const testPromptsCommand: CliCommand = {
  path: ['test-prompts'],
  usage: 'test-prompts <file.yaml|json> --model <file.gguf> [--json]',
  summary: 'Run prompt unit tests against a local model; prints "N passed, N failed", exits 1 on failure.',
  async run(io) {
    if (!io.argv.includes('--model')) throw new AppError('INVALID_INPUT', 'Give the model to test with: --model <file.gguf>.');
    return delegate(['test-prompts'], io);
  },
};
