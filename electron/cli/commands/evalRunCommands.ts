import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../../shared/errors.js';
import { EvalMetricName, EvalVariant, type AbReport, type EvalRun } from '../../../shared/schemas/eval.js';
import { createApp, type HearthApp } from '../../handlers/createApp.js';
import { compareRuns, EvalStore, exportFinetune, parseDatasetJsonl } from '../../services/eval/index.js';
import type { CliCommand, CliIo } from '../CliCommand.js';

const num = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new AppError('INVALID_INPUT', `--${name} must be a number, got "${v}".`);
  return n;
};

const micros = (m: number | null): string => (m === null ? '—' : `$${(m / 1e6).toFixed(m < 10_000 ? 6 : 4)}`);

async function readText(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new AppError('INVALID_INPUT', `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { details: { file }, cause: e });
  }
}

/** Dataset name from a file name: letters, digits, '.', '_', '-'. */
const datasetNameOf = (file: string): string => path.basename(file).replace(/\.(jsonl|ndjson|json|txt)$/i, '').replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 100) || 'dataset';

/** Opens the app on the data dir, loads the model (2 threads unless told), imports the dataset file. */
async function openWithModel(io: CliIo, model: string, threads: number, datasetFile: string, kind: 'qa' | 'extraction'): Promise<{ app: HearthApp; dataset: string }> {
  const jsonl = await readText(datasetFile);
  const app = await createApp({ dataDir: io.dataDir, cpuOnly: true });
  try {
    await app.services.models.load({ path: model, threads, contextSize: 2048 });
    const name = datasetNameOf(datasetFile);
    const { dataset, errors } = app.services.evals.store.importDataset(name, jsonl, kind);
    for (const e of errors) io.err(`${datasetFile}:${e.line}: skipped: ${e.message}`);
    if (!io.json) io.err(`dataset ${dataset.name} v${dataset.version}: ${dataset.caseCount} cases`);
    return { app, dataset: dataset.name };
  } catch (e) {
    await app.dispose();
    throw e;
  }
}

/** Ctrl-C cancels the run (stored cases stay; `eval.runs.resume` continues it). */
function onInterrupt(cancel: () => void): () => void {
  process.once('SIGINT', cancel);
  return () => process.off('SIGINT', cancel);
}

function printRun(io: CliIo, run: EvalRun): void {
  const s = run.summary;
  io.out(`run ${run.id}  ${run.variant.name} on ${run.datasetName} v${run.datasetVersion}  [${run.status}]`);
  io.out(`accuracy ${(s.accuracy * 100).toFixed(1)}% (${s.passed}/${s.completed}${s.errors ? `, ${s.errors} errors` : ''})`);
  io.out(`latency  mean ${Math.round(s.latencyMs.mean)} ms, p50 ${Math.round(s.latencyMs.p50)} ms, p95 ${Math.round(s.latencyMs.p95)} ms`);
  io.out(`cost     ${micros(s.totalCostMicros)} total, ${micros(s.costPerCaseMicros)} per case, ${micros(s.costPerCorrectMicros)} per correct answer`);
}

const variantOptions = {
  model: { type: 'string' },
  dataset: { type: 'string' },
  metric: { type: 'string', default: 'normalized-match' },
  'max-tokens': { type: 'string', default: '32' },
  temperature: { type: 'string', default: '0' },
  threads: { type: 'string', default: '2' },
  kind: { type: 'string', default: 'qa' },
  schema: { type: 'string' },
  json: { type: 'boolean' },
} as const;

type VariantArgs = { metric?: string; 'max-tokens'?: string; temperature?: string; schema?: string };

async function variantOf(name: string, promptTemplate: string, values: VariantArgs): Promise<EvalVariant> {
  const metrics = (values.metric ?? 'normalized-match').split(',').map((m) => m.trim());
  for (const m of metrics) if (!EvalMetricName.safeParse(m).success) throw new AppError('INVALID_INPUT', `--metric must be among ${EvalMetricName.options.join(', ')}; got "${m}".`);
  const schema = values.schema === undefined ? undefined : (JSON.parse(await readText(values.schema)) as Record<string, unknown>);
  const parsed = EvalVariant.safeParse({
    name,
    promptTemplate,
    metrics,
    maxTokens: num('max-tokens', values['max-tokens']),
    temperature: num('temperature', values.temperature),
    ...(schema === undefined ? {} : { jsonSchema: schema }),
  });
  if (!parsed.success) throw new AppError('INVALID_INPUT', `Invalid variant: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function requireFlags(values: Record<string, unknown>, names: string[], usage: string): void {
  const missing = names.filter((n) => values[n] === undefined);
  if (missing.length) throw new AppError('INVALID_INPUT', `Missing ${missing.map((m) => `--${m}`).join(', ')}. Usage: ${usage}`);
}

const RUN_USAGE = 'eval run --dataset F.jsonl --model M.gguf --prompt "T {{input}}" [--name N] [--metric M[,M]] [--max-tokens N] [--temperature T] [--kind qa|extraction --schema S.json] [--threads N] [--json]';

/** `eval run`: one variant over a dataset file, on a local model, through the app's instrumented pipeline (ledger endpoint 'eval'). */
export const evalRunCommand: CliCommand = {
  path: ['eval', 'run'],
  usage: RUN_USAGE,
  summary: 'Run a prompt over a JSONL dataset; prints accuracy, latency p50/p95 and cost per correct answer.',
  async run(io) {
    const { values } = parseArgs({ args: io.argv, options: { ...variantOptions, prompt: { type: 'string' }, name: { type: 'string' } } });
    requireFlags(values, ['dataset', 'model', 'prompt'], RUN_USAGE);
    const variant = await variantOf(values.name ?? 'cli', values.prompt!, values);
    const { app, dataset } = await openWithModel(io, values.model!, num('threads', values.threads) ?? 2, values.dataset!, values.kind === 'extraction' ? 'extraction' : 'qa');
    try {
      const { runId, done } = app.services.evals.startRun({ dataset, variant });
      const off = onInterrupt(() => app.services.evals.cancel(runId));
      const unsubscribe = io.json ? () => {} : app.onEvent((event, payload) => {
        if (event === 'eval.progress') {
          const p = payload as { runId: string; done: number; total: number };
          if (p.runId === runId) process.stderr.write(`\r${p.done}/${p.total} cases`);
        }
      });
      try {
        await done.catch(() => undefined); // the final status and error are on the stored run, printed below
      } finally {
        off();
        unsubscribe();
        if (!io.json) process.stderr.write('\n');
      }
      const run = app.services.evals.store.getRunDetail(runId);
      if (io.json) io.out(JSON.stringify({ ok: run.status === 'completed', run }));
      else {
        printRun(io, run);
        for (const f of run.failures.slice(0, 10)) io.out(`  ✕ ${f.caseId}: expected ${JSON.stringify(f.expected)}, got ${JSON.stringify(f.error ? f.error.code : f.got)}`);
        if (run.error) io.err(`run ${run.status}: [${run.error.code}] ${run.error.message}`);
      }
      return run.status === 'completed' ? 0 : 1;
    } finally {
      await app.dispose();
    }
  },
};

/** `eval compare`: paired analysis of two stored runs. */
export const evalCompareCommand: CliCommand = {
  path: ['eval', 'compare'],
  usage: 'eval compare <runA> <runB> [--seed S] [--score] [--json]',
  summary: 'Compare two stored runs case by case: difference with CI, p-value and effect size in plain words.',
  async run(io) {
    const { values, positionals } = parseArgs({ args: io.argv, allowPositionals: true, options: { seed: { type: 'string' }, score: { type: 'boolean' }, json: { type: 'boolean' } } });
    if (positionals.length !== 2) throw new AppError('INVALID_INPUT', 'Give two run ids: eval compare <runA> <runB>.');
    const store = await EvalStore.open({ dataDir: io.dataDir });
    try {
      const c = compareRuns(store, positionals[0]!, positionals[1]!, { seed: num('seed', values.seed) ?? 0, scoreBy: values.score ? 'score' : 'pass' });
      if (io.json) io.out(JSON.stringify({ ok: true, comparison: c }));
      else {
        io.out(`${c.labels.a} (${c.runA}) vs ${c.labels.b} (${c.runB}) on ${c.pairedCases} shared cases`);
        io.out(c.explanation);
      }
      return 0;
    } finally {
      store.dispose();
    }
  },
};

const AB_USAGE = 'ab --dataset F.jsonl --model M.gguf --a "prompt A {{input}}" --b "prompt B {{input}}" [--repeats N] [--seed S] [--metric M] [--max-tokens N] [--temperature T] [--early-stop] [--budget-micros N] [--json]';

/** `ab`: a seeded, paired A/B test of two prompts on a dataset file. */
export const abCommand: CliCommand = {
  path: ['ab'],
  usage: AB_USAGE,
  summary: 'A/B test two prompts on the same cases (paired, seeded); prints which is better, by how much, and how sure.',
  async run(io) {
    const { values } = parseArgs({
      args: io.argv,
      options: { ...variantOptions, a: { type: 'string' }, b: { type: 'string' }, repeats: { type: 'string', default: '1' }, seed: { type: 'string', default: '0' }, 'early-stop': { type: 'boolean' }, 'budget-micros': { type: 'string' } },
    });
    requireFlags(values, ['dataset', 'model', 'a', 'b'], AB_USAGE);
    const a = await variantOf('A', values.a!, values);
    const b = await variantOf('B', values.b!, values);
    const { app, dataset } = await openWithModel(io, values.model!, num('threads', values.threads) ?? 2, values.dataset!, values.kind === 'extraction' ? 'extraction' : 'qa');
    try {
      const budget = num('budget-micros', values['budget-micros']);
      const started = app.services.evals.startAB({
        dataset,
        a,
        b,
        repeats: num('repeats', values.repeats) ?? 1,
        seed: num('seed', values.seed) ?? 0,
        earlyStop: values['early-stop'] ?? false,
        ...(budget === undefined ? {} : { budgetMicros: budget }),
        scoreBy: a.metrics.some((m) => m === 'token-f1' || m === 'field-f1') ? 'score' : 'pass',
      });
      const off = onInterrupt(() => app.services.evals.cancel(started.abId));
      try {
        await started.done.catch(() => undefined); // the stored report carries the final status
      } finally {
        off();
      }
      const report: AbReport = app.services.evals.store.getAb(started.abId);
      if (io.json) io.out(JSON.stringify({ ok: report.status === 'completed', report }));
      else {
        io.out(`A/B ${report.id}: ${report.casesDone}/${report.casesTotal} cases × ${report.repeats}, seed ${report.seed} [${report.status}${report.stopReason && report.stopReason !== 'all-cases' ? `, stopped: ${report.stopReason}` : ''}]`);
        io.out(report.explanation);
        io.out(`runs: A ${report.runA}, B ${report.runB} (eval compare ${report.runA} ${report.runB})`);
      }
      return report.status === 'completed' ? 0 : 1;
    } finally {
      await app.dispose();
    }
  },
};

/** `export-finetune`: dataset file → Alpaca or chat JSONL for fine-tuning. */
export const exportFinetuneCommand: CliCommand = {
  path: ['export-finetune'],
  usage: 'export-finetune --dataset F.jsonl --format alpaca|chat [--instruction TEXT] [--system TEXT] [--out FILE] [--json]',
  summary: 'Export a dataset as fine-tuning JSONL (Alpaca or chat messages).',
  async run(io) {
    const { values } = parseArgs({
      args: io.argv,
      options: { dataset: { type: 'string' }, format: { type: 'string', default: 'alpaca' }, instruction: { type: 'string' }, system: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } },
    });
    requireFlags(values, ['dataset'], 'export-finetune --dataset F.jsonl --format alpaca|chat');
    if (values.format !== 'alpaca' && values.format !== 'chat') throw new AppError('INVALID_INPUT', `--format must be alpaca or chat, got "${values.format}".`);
    const { dataset, errors } = parseDatasetJsonl(await readText(values.dataset!), { name: datasetNameOf(values.dataset!) });
    for (const e of errors) io.err(`${values.dataset}:${e.line}: skipped: ${e.message}`);
    const text = exportFinetune(dataset.cases, values.format === 'chat' ? 'chat-jsonl' : 'alpaca', {
      ...(values.instruction === undefined ? {} : { instruction: values.instruction }),
      ...(values.system === undefined ? {} : { system: values.system }),
    });
    if (values.out !== undefined) await fs.writeFile(values.out, text, 'utf8');
    if (io.json) io.out(JSON.stringify({ ok: true, format: values.format, cases: dataset.cases.length, skippedLines: errors.map((e) => e.line), ...(values.out === undefined ? { jsonl: text } : { out: values.out }) }));
    else if (values.out === undefined) io.out(text.trimEnd());
    else io.err(`wrote ${dataset.cases.length} examples to ${values.out}`);
    return 0;
  },
};

/** Headless commands of the EvalRun feature (stats and test-prompts live in evalCommands.ts). */
export const evalRunCliCommands: CliCommand[] = [evalRunCommand, evalCompareCommand, abCommand, exportFinetuneCommand];
