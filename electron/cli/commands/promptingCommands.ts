import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../../shared/errors.js';
import { createApp, type HearthApp } from '../../handlers/createApp.js';
import { instrumentedProvider } from '../../handlers/instrumentedProvider.js';
import {
  calculatorTool,
  dateTool,
  documentSearchTool,
  LlmJudge,
  ReActAgent,
  runLoraAB,
  selfConsistency,
  type AnswerSpec,
  type GenerateFn,
  type JudgeCriterion,
  type LoraABCase,
} from '../../services/prompting/index.js';
import type { CliCommand, CliIo } from '../CliCommand.js';

const common = {
  model: { type: 'string' },
  threads: { type: 'string', default: '2' },
  'context-size': { type: 'string', default: '2048' },
  seed: { type: 'string', default: '0' },
  json: { type: 'boolean' },
} as const;

function num(name: string, v: string | undefined, fallback: number, integer = false): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new AppError('INVALID_INPUT', `--${name} must be ${integer ? 'an integer' : 'a number'}, got "${v}".`, { details: { option: name, value: v } });
  return n;
}

function need(name: string, v: string | undefined): string {
  if (v === undefined || v === '') throw new AppError('INVALID_INPUT', `Give --${name}.`, { details: { option: name } });
  return v;
}

/**
 * Build the app on the CLI's data dir, load `--model`, and hand `run` a GenerateFn that goes through the
 * instrumented pipeline (budget gate, retries, one ledger row per attempt, endpoint `prompting.<technique>`),
 * exactly like the app's own channels. The app (and the model) is disposed afterwards.
 */
export async function withPipelineGenerate<T>(
  io: CliIo,
  values: { model?: string; threads?: string; 'context-size'?: string },
  endpoint: string,
  run: (generate: GenerateFn, app: HearthApp) => Promise<T>,
): Promise<T> {
  const modelPath = path.resolve(need('model', values.model));
  const app = await createApp({ dataDir: io.dataDir, cpuOnly: true });
  try {
    await app.services.models.load({
      path: modelPath,
      threads: num('threads', values.threads, 2, true),
      contextSize: num('context-size', values['context-size'], 2048, true),
    });
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const provider = instrumentedProvider(app.services.pipeline, app.services.models.requireProvider(), {
        userId: 'local',
        endpoint,
        signal: controller.signal,
      });
      return await run((request) => provider.generate(request), app);
    } finally {
      process.off('SIGINT', onSigint);
    }
  } finally {
    await app.dispose();
  }
}

const selfConsistencyCommand: CliCommand = {
  path: ['prompting', 'self-consistency'],
  usage:
    'prompting self-consistency --model F.gguf --prompt TEXT (--regex RE | --schema-file S.json) [--n 5] [--temperature 0.8] [--seed 0] [--max-tokens 256] [--answer-max-tokens 48] [--format chat|raw] [--json]',
  summary: 'Sample n reasoning paths, extract each answer under a grammar, majority-vote.',
  async run(io) {
    const { values } = parseArgs({
      args: io.argv,
      options: {
        ...common,
        prompt: { type: 'string' },
        regex: { type: 'string' },
        'schema-file': { type: 'string' },
        n: { type: 'string', default: '5' },
        temperature: { type: 'string', default: '0.8' },
        'max-tokens': { type: 'string', default: '256' },
        'answer-max-tokens': { type: 'string', default: '48' },
        format: { type: 'string', default: 'chat' },
      },
    });
    if ((values.regex === undefined) === (values['schema-file'] === undefined)) throw new AppError('INVALID_INPUT', 'Give exactly one of --regex or --schema-file.');
    if (values.format !== 'chat' && values.format !== 'raw') throw new AppError('INVALID_INPUT', '--format must be chat or raw.');
    const answer: AnswerSpec =
      values.regex !== undefined ? { regex: values.regex } : { schema: JSON.parse(await fs.readFile(values['schema-file']!, 'utf8')) as unknown };
    const prompt = need('prompt', values.prompt);
    const result = await withPipelineGenerate(io, values, 'prompting.self-consistency', (generate) =>
      selfConsistency({
        prompt,
        n: num('n', values.n, 5, true),
        temperature: num('temperature', values.temperature, 0.8),
        seed: num('seed', values.seed, 0, true),
        answer,
        generate,
        maxTokens: num('max-tokens', values['max-tokens'], 256, true),
        answerMaxTokens: num('answer-max-tokens', values['answer-max-tokens'], 48, true),
        format: values.format as 'chat' | 'raw',
        onSample: io.json ? undefined : (s) => io.err(`sample ${s.index + 1}: ${s.truncated ? '(truncated)' : s.answerText}`),
      }),
    );
    if (io.json) io.out(JSON.stringify(result));
    else io.out(`answer: ${typeof result.answer === 'string' ? result.answer : JSON.stringify(result.answer)}  (agreement ${(result.agreement * 100).toFixed(0)}%, ${result.usage.calls} calls, ${result.usage.promptTokens + result.usage.completionTokens} tokens)`);
    return 0;
  },
};

const reactCommand: CliCommand = {
  path: ['prompting', 'react'],
  usage: 'prompting react --model F.gguf --question TEXT [--max-steps 6] [--max-total-tokens 16384] [--max-input-chars 200] [--temperature 0] [--json]',
  summary: 'ReAct agent with document search (BM25 over the data dir\'s index), calculator and date tools.',
  async run(io) {
    const { values } = parseArgs({
      args: io.argv,
      options: {
        ...common,
        question: { type: 'string' },
        'max-steps': { type: 'string', default: '6' },
        'max-total-tokens': { type: 'string', default: '16384' },
        'max-input-chars': { type: 'string', default: '200' },
        temperature: { type: 'string', default: '0' },
      },
    });
    const question = need('question', values.question);
    const result = await withPipelineGenerate(io, values, 'prompting.react', (generate, app) => {
      const search = documentSearchTool(async (query, k, signal) =>
        (await app.services.documents.retriever.retrieve(query, { k, mode: 'bm25', ...(signal === undefined ? {} : { signal }) })).map((p) => ({ text: p.text, source: p.title })),
      );
      const agent = new ReActAgent({
        generate,
        tools: [search, calculatorTool(), dateTool()],
        maxSteps: num('max-steps', values['max-steps'], 6, true),
        maxTotalTokens: num('max-total-tokens', values['max-total-tokens'], 16_384, true),
        maxInputChars: num('max-input-chars', values['max-input-chars'], 200, true),
        temperature: num('temperature', values.temperature, 0),
        seed: num('seed', values.seed, 0, true),
      });
      return agent.run(question, {
        onStep: io.json
          ? undefined
          : (s) => io.err(`Thought: ${s.thought}${s.action ? `\nAction: ${JSON.stringify(s.action)}` : ''}${s.observation !== undefined ? `\nObservation: ${s.observation}` : ''}`),
      });
    });
    if (io.json) io.out(JSON.stringify(result));
    else io.out(`${result.answer ?? '(no answer)'}  [stop: ${result.stopReason}, ${result.steps.length} steps, ${result.usage.calls} calls]`);
    return 0;
  },
};

const judgeCommand: CliCommand = {
  path: ['prompting', 'judge'],
  usage: 'prompting judge --model F.gguf --question Q --answer A [--context TEXT]... [--criteria faithfulness,relevance] [--max-reason-chars 300] [--json]',
  summary: 'LLM-as-judge: grammar-constrained 1-5 scores for RAG faithfulness and answer relevance.',
  async run(io) {
    const { values } = parseArgs({
      args: io.argv,
      options: {
        ...common,
        question: { type: 'string' },
        answer: { type: 'string' },
        context: { type: 'string', multiple: true },
        criteria: { type: 'string' },
        'max-reason-chars': { type: 'string', default: '300' },
      },
    });
    const criteria = values.criteria?.split(',').map((c) => c.trim());
    for (const c of criteria ?? []) if (c !== 'faithfulness' && c !== 'relevance') throw new AppError('INVALID_INPUT', `Unknown criterion "${c}" (faithfulness, relevance).`);
    const input = { question: need('question', values.question), answer: need('answer', values.answer), contexts: values.context ?? [] };
    const result = await withPipelineGenerate(io, values, 'prompting.judge', (generate) =>
      new LlmJudge({ generate, maxReasonChars: num('max-reason-chars', values['max-reason-chars'], 300, true), seed: num('seed', values.seed, 0, true) }).evaluate(
        input,
        criteria === undefined ? {} : { criteria: criteria as JudgeCriterion[] },
      ),
    );
    if (io.json) io.out(JSON.stringify(result));
    else for (const s of Object.values(result.scores)) io.out(`${s.criterion}: ${s.score}/5 — ${s.reasons}`);
    return 0;
  },
};

const loraAbCommand: CliCommand = {
  path: ['prompting', 'lora-ab'],
  usage: 'prompting lora-ab --model F.gguf --adapter L.gguf --cases C.jsonl [--scale 1] [--threads 2] [--json]   (C.jsonl: {"prompt","reference"} per line)',
  summary: 'Base vs LoRA adapter: greedy outputs, next-token distribution shift, paired A/B on reference log-prob.',
  async run(io) {
    const { values } = parseArgs({
      args: io.argv,
      options: { ...common, adapter: { type: 'string' }, cases: { type: 'string' }, scale: { type: 'string', default: '1' } },
    });
    const lines = (await fs.readFile(need('cases', values.cases), 'utf8')).split('\n').filter((l) => l.trim() !== '');
    const cases = lines.map((l, i): LoraABCase => {
      const c = JSON.parse(l) as Partial<LoraABCase>;
      if (typeof c.prompt !== 'string' || typeof c.reference !== 'string') throw new AppError('INVALID_INPUT', `cases line ${i + 1}: needs string "prompt" and "reference".`, { details: { line: i + 1 } });
      return { id: c.id ?? `case-${i + 1}`, prompt: c.prompt, reference: c.reference };
    });
    const result = await runLoraAB({
      modelPath: need('model', values.model),
      adapterPath: need('adapter', values.adapter),
      scale: num('scale', values.scale, 1),
      cases,
      threads: num('threads', values.threads, 2, true),
      seed: num('seed', values.seed, 0, true),
    });
    if (io.json) io.out(JSON.stringify(result));
    else {
      for (const c of result.cases) io.out(`${c.id}: base ${JSON.stringify(c.base.greedyText)} | LoRA ${JSON.stringify(c.adapter.greedyText)} | TV ${c.totalVariation.toFixed(3)}`);
      io.out(result.ab.summary);
    }
    return 0;
  },
};

/** Headless commands of the Prompting feature. */
export const promptingCliCommands: CliCommand[] = [selfConsistencyCommand, reactCommand, judgeCommand, loraAbCommand];
