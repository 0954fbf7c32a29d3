import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AppError } from '../../../shared/errors.js';
import { LocalLlamaProvider } from '../../services/llm/index.js';
import type { CliCommand } from '../CliCommand.js';

export const generateCommand: CliCommand = {
  path: ['generate'],
  usage:
    'generate --model <file.gguf> (--prompt TEXT | --chat TEXT) [--max-tokens N] [--temperature T] [--seed N] [--grammar-file F.gbnf] [--threads N] [--json]',
  summary: 'Generate text with a local GGUF model, streaming tokens to stdout.',
  async run(io) {
    const { values } = parseArgs({
      args: io.argv,
      options: {
        model: { type: 'string' },
        prompt: { type: 'string' },
        chat: { type: 'string' },
        'max-tokens': { type: 'string', default: '128' },
        temperature: { type: 'string', default: '0.7' },
        seed: { type: 'string' },
        'grammar-file': { type: 'string' },
        threads: { type: 'string' },
        'context-size': { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (values.model === undefined) throw new AppError('INVALID_INPUT', 'Give the model with --model <file.gguf>.');
    if ((values.prompt === undefined) === (values.chat === undefined)) {
      throw new AppError('INVALID_INPUT', 'Give exactly one of --prompt (raw completion) or --chat (uses the chat template).');
    }
    const number = (name: string, v: string | undefined) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n)) throw new AppError('INVALID_INPUT', `--${name} must be a number, got "${v}".`);
      return n;
    };
    const grammar = values['grammar-file'] === undefined ? undefined : await fs.readFile(values['grammar-file'], 'utf8');
    const threads = number('threads', values.threads);
    const contextSize = number('context-size', values['context-size']);
    const provider = await LocalLlamaProvider.create({
      modelPath: values.model,
      ...(threads === undefined ? {} : { threads }),
      ...(contextSize === undefined ? {} : { contextSize }),
    });
    try {
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      const seed = number('seed', values.seed);
      const result = await provider.generate({
        ...(values.prompt === undefined ? {} : { prompt: values.prompt }),
        ...(values.chat === undefined ? {} : { messages: [{ role: 'user' as const, content: values.chat }] }),
        maxTokens: number('max-tokens', values['max-tokens']) ?? 128,
        temperature: number('temperature', values.temperature) ?? 0.7,
        ...(seed === undefined ? {} : { seed }),
        ...(grammar === undefined ? {} : { grammar }),
        signal: controller.signal,
        onTextChunk: io.json ? undefined : (text) => process.stdout.write(text),
      });
      process.off('SIGINT', onSigint);
      if (io.json) io.out(JSON.stringify(result));
      else io.err(`\n\n${result.completionTokens} tokens, ${result.tokensPerSecond.toFixed(1)} tok/s, ${Math.round(result.durationMs)} ms, ${result.finishReason}`);
      return 0;
    } finally {
      await provider.dispose();
    }
  },
};
