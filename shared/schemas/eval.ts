import { z } from 'zod';

/**
 * Domain shapes of the eval workbench (datasets, runs, per-case results, A/B reports), shared by the
 * handlers, the CLI and the Eval screen. Pure zod: no Node, no DOM.
 */

/** Scores are in [0, 1]; a case passes when every metric of its variant passes. */
export const EvalMetricName = z.enum(['exact-match', 'normalized-match', 'contains', 'token-f1', 'schema-valid', 'field-f1']);
export type EvalMetricName = z.infer<typeof EvalMetricName>;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const DatasetName = z.string().regex(NAME, 'use letters, digits, ".", "_" or "-" (max 100)');

/**
 * What one arm of an experiment does with a case. The template's `{{input}}` is the case input (a string input),
 * or each key of an object input (`{{question}}`). With `jsonSchema`, the case runs through grammar-constrained
 * extraction instead of free generation (metrics: schema-valid, field-f1).
 */
export const EvalVariant = z
  .object({
    name: z.string().min(1).max(80),
    promptTemplate: z.string().min(1).max(20_000).default('{{input}}'),
    /** 'chat' wraps the prompt in the model's chat template; 'completion' sends it raw. Default 'chat'. */
    format: z.enum(['chat', 'completion']).default('chat'),
    /** Default 0 (greedy): evals want the most likely answer unless flakiness is the question. */
    temperature: z.number().min(0).max(2).default(0),
    maxTokens: z.number().int().min(1).max(4096).default(64),
    /** Generation seed; A/B runs derive one per repeat from the experiment seed when absent. */
    seed: z.number().int().min(0).optional(),
    metrics: z.array(EvalMetricName).min(1).max(6).default(['normalized-match']),
    jsonSchema: z.record(z.string(), z.unknown()).optional(),
    /** The model that answered (filled in by the app from the loaded model; informational on input). */
    model: z.string().optional(),
  })
  .strict();
export type EvalVariant = z.infer<typeof EvalVariant>;
export type EvalVariantInput = z.input<typeof EvalVariant>;

export const EvalDatasetKind = z.enum(['qa', 'extraction']);

export const EvalDatasetSummary = z.object({
  name: z.string(),
  version: z.number().int(),
  /** sha256 of the canonical JSONL. */
  hash: z.string(),
  kind: EvalDatasetKind,
  caseCount: z.number().int(),
  createdAt: z.string(),
});
export type EvalDatasetSummary = z.infer<typeof EvalDatasetSummary>;

export const EvalCase = z.object({
  id: z.string(),
  input: z.union([z.string(), z.record(z.string(), z.unknown())]),
  expected: z.unknown().optional(),
  tags: z.array(z.string()),
});
export type EvalCase = z.infer<typeof EvalCase>;

export const DatasetLineError = z.object({ line: z.number().int(), message: z.string() });

export const EvalMetricResult = z.object({ metric: z.string(), pass: z.boolean(), score: z.number(), reason: z.string().optional() });

export const EvalCaseError = z.object({ code: z.string(), message: z.string() });

export const EvalCaseResult = z.object({
  caseId: z.string(),
  repeat: z.number().int(),
  input: z.unknown(),
  expected: z.unknown(),
  /** What the model produced (extraction: the JSON text); '' when the case errored. */
  got: z.string(),
  pass: z.boolean(),
  score: z.number(),
  metrics: z.array(EvalMetricResult),
  latencyMs: z.number(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  /** From the ledger rows of the case's calls; null when nothing was priced. */
  costMicros: z.number().nullable(),
  error: EvalCaseError.nullable(),
});
export type EvalCaseResult = z.infer<typeof EvalCaseResult>;

export const EvalRunSummary = z.object({
  /** Case results stored (cases × repeats done). */
  completed: z.number().int(),
  total: z.number().int(),
  passed: z.number().int(),
  errors: z.number().int(),
  /** passed / completed; 0 when nothing completed. */
  accuracy: z.number(),
  meanScore: z.number(),
  latencyMs: z.object({ mean: z.number(), p50: z.number(), p95: z.number() }),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  totalCostMicros: z.number(),
  costPerCaseMicros: z.number(),
  /** null when nothing passed (an infinite price per correct answer). */
  costPerCorrectMicros: z.number().nullable(),
});
export type EvalRunSummary = z.infer<typeof EvalRunSummary>;

export const EvalRunStatus = z.enum(['running', 'completed', 'cancelled', 'failed', 'interrupted']);
export type EvalRunStatus = z.infer<typeof EvalRunStatus>;

export const EvalRun = z.object({
  id: z.string(),
  datasetName: z.string(),
  datasetVersion: z.number().int(),
  variant: EvalVariant,
  status: EvalRunStatus,
  repeats: z.number().int(),
  abId: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  error: EvalCaseError.nullable(),
  summary: EvalRunSummary,
});
export type EvalRun = z.infer<typeof EvalRun>;

export const EvalRunDetail = EvalRun.extend({
  /** Failed or errored case results (first 200). */
  failures: z.array(EvalCaseResult),
});
export type EvalRunDetail = z.infer<typeof EvalRunDetail>;

export const AbStopReason = z.enum(['all-cases', 'significant', 'budget', 'cancelled', 'error']);

export const AbAnalysis = z.object({
  kind: z.enum(['binary', 'numeric']),
  n: z.number().int(),
  meanA: z.number(),
  meanB: z.number(),
  /** mean(B) − mean(A) in [−1, 1]; ×100 = points. */
  difference: z.number(),
  ci: z.object({ low: z.number(), high: z.number(), confidence: z.number() }),
  tests: z.array(z.object({ test: z.string(), p: z.number(), statistic: z.number() })),
  skipped: z.array(z.object({ test: z.string(), reason: z.string() })),
  primary: z.object({ test: z.string(), p: z.number() }).nullable(),
  significant: z.boolean(),
  effect: z.object({ name: z.string(), value: z.number(), magnitude: z.enum(['negligible', 'small', 'medium', 'large']) }).nullable(),
  flaky: z.array(z.object({ caseId: z.string(), side: z.enum(['a', 'b']), values: z.array(z.union([z.number(), z.boolean()])) })),
  /** The statistician's sentence from analyzeAB. */
  summary: z.string(),
});
export type AbAnalysis = z.infer<typeof AbAnalysis>;

export const AbReport = z.object({
  id: z.string(),
  datasetName: z.string(),
  datasetVersion: z.number().int(),
  status: EvalRunStatus,
  runA: z.string(),
  runB: z.string(),
  a: EvalVariant,
  b: EvalVariant,
  repeats: z.number().int(),
  seed: z.number().int(),
  /** Cases both arms finished (all repeats). */
  casesDone: z.number().int(),
  casesTotal: z.number().int(),
  stopReason: AbStopReason.nullable(),
  costMicros: z.object({ a: z.number(), b: z.number() }),
  analysis: AbAnalysis.nullable(),
  /** Plain words: "B is better by 20 points (95% CI 5 to 35), p = 0.03, that is a medium effect." */
  explanation: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type AbReport = z.infer<typeof AbReport>;

export const AbStartInput = z
  .object({
    dataset: DatasetName,
    datasetVersion: z.number().int().min(1).optional(),
    a: EvalVariant,
    b: EvalVariant,
    /** Runs per case and arm; >1 exposes flaky cases (use temperature > 0). Default 1. */
    repeats: z.number().int().min(1).max(20).default(1),
    /** Seeds the case order, per-repeat generation seeds and the bootstrap. Default 0. */
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    /** Stop as soon as the difference is significant at an interim look (Haybittle–Peto p < 0.001). Default false. */
    earlyStop: z.boolean().default(false),
    /** Stop when both arms together have spent this much (ledger micros). */
    budgetMicros: z.number().int().min(1).optional(),
    maxCases: z.number().int().min(1).optional(),
    /** What is compared: pass/fail (McNemar) or the mean metric score (paired t). Default 'pass'. */
    scoreBy: z.enum(['pass', 'score']).default('pass'),
  })
  .strict();
export type AbStartInput = z.infer<typeof AbStartInput>;

/** Pushed after every case result of a run (A/B arms included). */
export const EvalProgressEvent = z.object({
  runId: z.string(),
  abId: z.string().nullable(),
  status: EvalRunStatus,
  done: z.number().int(),
  total: z.number().int(),
  passed: z.number().int(),
});
export type EvalProgressEvent = z.infer<typeof EvalProgressEvent>;
