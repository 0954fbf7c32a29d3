import { z } from 'zod';
import { channel } from './defineContract.js';
import {
  AbReport,
  AbStartInput,
  DatasetLineError,
  DatasetName,
  EvalCase,
  EvalDatasetKind,
  EvalDatasetSummary,
  EvalProgressEvent,
  EvalRun,
  EvalRunDetail,
  EvalVariant,
} from '../schemas/eval.js';

/**
 * The eval workbench: datasets, runs, A/B tests, results.
 * Spread into `channels`/`events` of `contract.ts`; one module per feature keeps the contract easy to read.
 */
export const evalChannels = {
  'eval.datasets.list': channel(z.object({}).strict(), z.array(EvalDatasetSummary), 'Eval datasets, latest version of each.'),
  'eval.datasets.import': channel(
    z.object({ name: DatasetName, jsonl: z.string().min(1).max(20_000_000), kind: EvalDatasetKind.default('qa') }).strict(),
    z.object({ dataset: EvalDatasetSummary, errors: z.array(DatasetLineError), created: z.boolean() }),
    'Import JSONL text as the next version of a dataset; malformed lines are reported by line number and skipped.',
  ),
  'eval.datasets.get': channel(
    z.object({ name: DatasetName, version: z.number().int().min(1).optional(), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    z.object({ dataset: EvalDatasetSummary, versions: z.array(EvalDatasetSummary), cases: z.array(EvalCase) }),
    'One dataset version with a page of its cases.',
  ),
  'eval.runs.start': channel(
    z.object({ dataset: DatasetName, datasetVersion: z.number().int().min(1).optional(), variant: EvalVariant }).strict(),
    z.object({ runId: z.string() }),
    'Start a run of a variant over a dataset on the loaded model, in the background; streams eval.progress events.',
  ),
  'eval.runs.resume': channel(
    z.object({ runId: z.string().min(1) }).strict(),
    z.object({ runId: z.string() }),
    'Resume a cancelled or interrupted run: cases already stored are skipped.',
  ),
  'eval.runs.list': channel(
    z.object({ dataset: DatasetName.optional(), limit: z.number().int().min(1).max(500).default(50) }).strict(),
    z.array(EvalRun),
    'Stored runs, newest first, with their summaries.',
  ),
  'eval.runs.get': channel(z.object({ runId: z.string().min(1) }).strict(), EvalRunDetail, 'One run: summary and failures.'),
  'eval.runs.cancel': channel(
    z.object({ runId: z.string().min(1) }).strict(),
    z.object({ cancelled: z.boolean() }),
    'Stop a running run (or A/B test, by either arm or its id); finished cases stay stored.',
  ),
  'eval.ab.start': channel(AbStartInput, z.object({ abId: z.string(), runA: z.string(), runB: z.string() }), 'Start a paired A/B test of two variants in the background.'),
  'eval.ab.get': channel(z.object({ abId: z.string().min(1) }).strict(), AbReport, 'An A/B report with its statistics and a plain-words explanation.'),
  'eval.ab.list': channel(z.object({}).strict(), z.array(AbReport), 'Stored A/B tests, newest first.'),
} as const;

export const evalEvents = {
  'eval.progress': EvalProgressEvent,
} as const;
