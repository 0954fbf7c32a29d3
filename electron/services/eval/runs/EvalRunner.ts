import type { EvalCase, EvalCaseResult, EvalRun, EvalVariant } from '../../../../shared/schemas/eval.js';
import { isAppError } from '../../../../shared/errors.js';
import type { ChatMessage } from '../../../../shared/schemas/generation.js';
import { extract } from '../../extract/index.js';
import type { GenerateRequest, LlmProvider } from '../../llm/index.js';
import { PromptTemplate } from '../../prompting/index.js';
import { canonicalJson } from '../datasets/index.js';
import { resultKey, type EvalStore } from '../store/index.js';
import { EvalCancelledError } from './EvalCancelledError.js';
import type { EvalModel } from './EvalModel.js';
import { scoreCase } from './scoreCase.js';

export type EvalProgress = { runId: string; done: number; total: number; passed: number };

export interface RunCaseOptions {
  runId: string;
  variant: EvalVariant;
  testCase: EvalCase;
  /** 0-based repeat index. */
  repeat: number;
  /** Generation seed when the variant has none. */
  seed?: number;
  signal?: AbortSignal;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Called after every stored case result (and once at the start with what was already stored). */
  onProgress?: (p: EvalProgress) => void;
}

/**
 * Codes that doom every later case too (no model, budget exhausted): the run stops with status 'failed' instead
 * of recording the same error N times. Any other failure (a template variable missing, an extraction that never
 * validated, a provider 500 after retries) is recorded on its case, scored as a failure, and the run goes on.
 */
const RUN_FATAL = new Set(['BUDGET_EXCEEDED', 'MODEL_NOT_LOADED', 'NO_ELIGIBLE_MODEL', 'STORAGE_IO', 'DISK_FULL']);

const inputText = (input: EvalCase['input']): string => (typeof input === 'string' ? input : canonicalJson(input));

/**
 * Runs variants over dataset cases and stores every case result as it finishes.
 *
 * - Resumable: `run(runId)` skips the (case, repeat) pairs already stored for that run, so a cancelled, crashed or
 *   interrupted run continues where it stopped; re-running a completed run is a no-op.
 * - Cancellable: the AbortSignal is checked before every case and passed down to generation; the case in flight is
 *   not stored (it would be a truncated answer) and `EvalCancelledError` is thrown after the status is saved.
 * - Sequential on purpose: one local model decodes one sequence at a time on this class of machine, and order keeps
 *   latency numbers free of queueing.
 * - Latency is wall-clock per case (what a user waits, retries included); tokens and cost are summed over every
 *   generation the case made (extraction may retry), cost from the metered results (ledger rows).
 */
export class EvalRunner {
  constructor(
    private readonly store: EvalStore,
    private readonly model: EvalModel,
  ) {}

  /** Name of the model the runs answer with (recorded on each run's variant). */
  get modelName(): string {
    return this.model.model;
  }

  /** Creates a run row for `variant` over a stored dataset version (default latest); returns its id. */
  createRun(options: { dataset: string; datasetVersion?: number; variant: EvalVariant; repeats?: number; abId?: string | null }): string {
    const { dataset, cases } = this.store.getDataset(options.dataset, options.datasetVersion);
    const repeats = options.repeats ?? 1;
    const variant = { ...options.variant, model: options.variant.model ?? this.model.model };
    return this.store.createRun({ datasetName: dataset.name, datasetVersion: dataset.version, variant, repeats, total: cases.length * repeats, abId: options.abId ?? null });
  }

  /** Runs (or resumes) every case × repeat of a stored run; returns the final run with its summary. */
  async run(runId: string, options: RunOptions = {}): Promise<EvalRun> {
    const run = this.store.getRun(runId);
    const { cases } = this.store.getDataset(run.datasetName, run.datasetVersion);
    const done = this.store.doneKeys(runId);
    const total = cases.length * run.repeats;
    let completed = done.size;
    let passed = run.summary.passed;
    this.store.setRunStatus(runId, 'running');
    options.onProgress?.({ runId, done: completed, total, passed });
    try {
      for (const testCase of cases) {
        for (let repeat = 0; repeat < run.repeats; repeat++) {
          if (done.has(resultKey(testCase.id, repeat))) continue;
          if (options.signal?.aborted) throw new EvalCancelledError(runId, completed);
          const result = await this.runCase({ runId, variant: run.variant, testCase, repeat, seed: repeat, ...(options.signal ? { signal: options.signal } : {}) });
          completed++;
          if (result.pass) passed++;
          options.onProgress?.({ runId, done: completed, total, passed });
        }
      }
    } catch (error) {
      const cancelled = error instanceof EvalCancelledError || (isAppError(error) && error.code === 'CANCELLED');
      this.store.setRunStatus(runId, cancelled ? 'cancelled' : 'failed', isAppError(error) ? { code: error.code, message: error.message } : { code: 'INTERNAL', message: String(error) });
      if (cancelled && !(error instanceof EvalCancelledError)) throw new EvalCancelledError(runId, completed);
      throw error;
    }
    this.store.setRunStatus(runId, 'completed');
    return this.store.getRun(runId);
  }

  /**
   * Runs one case once, scores it and stores the result (unless cancelled). Errors that doom the whole run and
   * cancellation are thrown; other failures are recorded on the result.
   */
  async runCase(options: RunCaseOptions): Promise<EvalCaseResult> {
    const { variant, testCase, signal } = options;
    if (signal?.aborted) throw new EvalCancelledError(options.runId, 0);
    const meter = { promptTokens: 0, completionTokens: 0, costMicros: 0, priced: false };
    const metered = this.meteredProvider(meter);
    const seed = variant.seed ?? options.seed;
    const started = performance.now();
    let got = '';
    let extracted: { value: unknown } | undefined;
    let error: { code: string; message: string } | null = null;
    try {
      const vars = typeof testCase.input === 'string' ? { input: testCase.input } : { ...testCase.input, input: inputText(testCase.input) };
      const prompt = new PromptTemplate(variant.name, variant.promptTemplate).render(vars);
      if (variant.jsonSchema !== undefined) {
        const r = await extract({
          target: { kind: 'json-schema', schema: variant.jsonSchema },
          input: inputText(testCase.input),
          instructions: prompt,
          provider: metered,
          temperature: variant.temperature,
          maxTokens: variant.maxTokens,
          ...(seed === undefined ? {} : { seed }),
          ...(signal ? { signal } : {}),
        });
        extracted = { value: r.value };
        got = JSON.stringify(r.value);
      } else {
        const request: GenerateRequest = {
          ...(variant.format === 'chat' ? { messages: [{ role: 'user', content: prompt } satisfies ChatMessage] } : { prompt }),
          maxTokens: variant.maxTokens,
          temperature: variant.temperature,
          ...(seed === undefined ? {} : { seed }),
          ...(signal ? { signal } : {}),
        };
        const r = await metered.generate(request);
        if (r.finishReason === 'cancelled' || signal?.aborted) throw new EvalCancelledError(options.runId, 0);
        got = r.text.trim();
      }
    } catch (e) {
      if (signal?.aborted || e instanceof EvalCancelledError || (isAppError(e) && e.code === 'CANCELLED')) throw new EvalCancelledError(options.runId, 0);
      if (!isAppError(e) || RUN_FATAL.has(e.code)) throw e;
      error = { code: e.code, message: e.message };
    }
    const latencyMs = performance.now() - started;
    const metrics =
      error === null
        ? scoreCase(variant.metrics, got, testCase.expected, {
            ...(variant.jsonSchema === undefined ? {} : { schema: variant.jsonSchema }),
            ...(extracted === undefined ? {} : { extracted }),
          })
        : variant.metrics.map((metric) => ({ metric, pass: false, score: 0, reason: `${error!.code}: ${error!.message}` }));
    const result: EvalCaseResult = {
      caseId: testCase.id,
      repeat: options.repeat,
      input: testCase.input,
      expected: testCase.expected,
      got,
      pass: metrics.every((m) => m.pass),
      score: metrics.reduce((s, m) => s + m.score, 0) / metrics.length,
      metrics,
      latencyMs,
      promptTokens: meter.promptTokens,
      completionTokens: meter.completionTokens,
      costMicros: meter.priced ? meter.costMicros : null,
      error,
    };
    this.store.saveResult(options.runId, result);
    return result;
  }

  /** An `LlmProvider` view of the eval model that sums tokens and cost of every call a case makes. */
  private meteredProvider(meter: { promptTokens: number; completionTokens: number; costMicros: number; priced: boolean }): LlmProvider {
    const model = this.model;
    return {
      providerId: model.providerId,
      model: model.model,
      kind: model.kind,
      contextSize: model.contextSize,
      countTokens: (text) => model.countTokens(text),
      generate: async (request) => {
        const r = await model.generate(request);
        meter.promptTokens += r.promptTokens;
        meter.completionTokens += r.completionTokens;
        if (r.costMicros !== undefined && r.costMicros !== null) {
          meter.costMicros += r.costMicros;
          meter.priced = true;
        }
        return r;
      },
      dispose: async () => {},
    };
  }
}
