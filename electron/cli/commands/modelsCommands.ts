import { parseArgs } from 'node:util';
import { AppError } from '../../../shared/errors.js';
import { inspectGguf, ModelManager } from '../../services/llm/index.js';
import path from 'node:path';
import type { CliCommand } from '../CliCommand.js';
import { formatTable } from '../formatTable.js';

export const modelsListCommand: CliCommand = {
  path: ['models', 'list'],
  usage: 'models list [--dir DIR]... [--json]',
  summary: 'List GGUF and ONNX models in the models folder (and extra --dir folders).',
  async run(io) {
    const { values } = parseArgs({ args: io.argv, options: { dir: { type: 'string', multiple: true }, json: { type: 'boolean' } } });
    const manager = await ModelManager.create({ modelsDir: path.join(io.dataDir, 'models'), extraDirs: values.dir ?? [] });
    const models = await manager.list();
    if (io.json) io.out(JSON.stringify(models));
    else if (models.length === 0) io.out(`No models in ${manager.modelsDir}. Open one with: hearth models inspect <file.gguf>`);
    else
      io.out(
        formatTable(
          ['model', 'arch', 'params', 'quant', 'ctx', 'path'],
          models.map((m) => [
            m.summary?.name ?? path.basename(m.path),
            m.kind === 'onnx' ? 'onnx' : (m.summary?.architecture ?? 'unreadable'),
            m.summary ? String(m.summary.parameters) : '',
            m.summary?.quantization ?? '',
            m.summary?.contextLength === null || m.summary === null ? '' : String(m.summary.contextLength),
            m.path,
          ]),
        ),
      );
    return 0;
  },
};

export const modelsInspectCommand: CliCommand = {
  path: ['models', 'inspect'],
  usage: 'models inspect <file.gguf> [--json]',
  summary: 'Architecture, parameters, quantization, context length and chat template of a GGUF file.',
  async run(io) {
    const { positionals } = parseArgs({ args: io.argv, options: { json: { type: 'boolean' } }, allowPositionals: true });
    const file = positionals[0];
    if (file === undefined) throw new AppError('INVALID_INPUT', 'Usage: hearth models inspect <file.gguf>');
    const s = await inspectGguf(file);
    if (io.json) {
      io.out(JSON.stringify(s));
      return 0;
    }
    io.out(
      [
        `file           ${s.path} (${s.sizeBytes} bytes)`,
        `name           ${s.name ?? '-'}`,
        `architecture   ${s.architecture}`,
        `parameters     ${s.parameters}`,
        `quantization   ${s.quantization ?? '-'}`,
        `context length ${s.contextLength ?? '-'}`,
        `embedding      ${s.embeddingLength ?? '-'}`,
        `layers         ${s.layers ?? '-'}`,
        `vocabulary     ${s.vocabularySize ?? '-'} (${s.tokenizer ?? '-'})`,
        `chat template  ${s.chatTemplate === null ? '-' : `\n${s.chatTemplate}`}`,
      ].join('\n'),
    );
    return 0;
  },
};
