import { AppError } from '../../../shared/errors.js';
import type { AbReport, AbStartInput, EvalRun, EvalRunStatus, EvalVariant } from '../../../shared/schemas/eval.js';
import { EvalRunner, EvalStore, planAB, runAB, type EvalModel, type EvalProgress } from '../../services/eval/index.js';
import type { CoreServices } from './CoreServices.js';

type Job = { controller: AbortController; done: Promise<unknown>; runIds: string[] };

/**
 * Owns eval datasets, stored runs and A/B tests over the real provider path: every generation of a run goes
 * through `core.pipeline` with endpoint 'eval' (budget gate, retries, one ledger row per attempt), and each case's
 * cost is read back from those ledger rows. Runs execute in the background after `start*` returns their id;
 * progress is pushed as `eval.progress` events carrying the run id. One job at a time per run; any number of runs
 * may be queued by the caller, but they share the one loaded model (the provider serialises decoding).
 */
export class EvalFeature {
  private disposed = false;
  private readonly jobs = new Map<string, Job>();

  private constructor(
    private readonly core: CoreServices,
    readonly store: EvalStore,
  ) {}

  static async create(core: CoreServices): Promise<EvalFeature> {
    return new EvalFeature(core, await EvalStore.open({ dataDir: core.dataDir }));
  }

  /**
   * The loaded model seen through the instrumented pipeline (endpoint 'eval').
   * @throws AppError MODEL_NOT_LOADED (from the model manager) when no model is loaded.
   */
  evalModel(): EvalModel {
    const provider = this.core.models.requireProvider();
    const { pipeline, ledger } = this.core;
    return {
      providerId: provider.providerId,
      model: provider.model,
      kind: provider.kind,
      contextSize: provider.contextSize,
      countTokens: (text) => provider.countTokens(text),
      generate: async (request) => {
        const r = await pipeline.generate(request, { userId: 'local', endpoint: 'eval', providers: [provider], ...(request.signal ? { signal: request.signal } : {}), cache: { bypass: true } });
        // cost from the ledger rows of every attempt (local rows carry the energy cost the pricer leaves null)
        let costMicros: number | null = null;
        for (const attempt of r.attempts) {
          const row = ledger.getRequest(attempt.requestId);
          if (row !== undefined) costMicros = (costMicros ?? 0) + row.totalCostMicros;
        }
        return { ...r, costMicros: costMicros ?? r.costMicros };
      },
    };
  }

  /** Starts a run in the background; `done` settles with the final run (rejects when it fails or is cancelled). */
  startRun(input: { dataset: string; datasetVersion?: number; variant: EvalVariant }): { runId: string; done: Promise<EvalRun> } {
    this.assertOpen();
    const runner = new EvalRunner(this.store, this.evalModel());
    const runId = runner.createRun({ dataset: input.dataset, ...(input.datasetVersion === undefined ? {} : { datasetVersion: input.datasetVersion }), variant: input.variant });
    return { runId, done: this.launch(runId, [runId], (signal) => runner.run(runId, { signal, onProgress: (p) => this.progress(p, null, 'running') })) };
  }

  /** Resumes a cancelled, failed or interrupted run (A/B arms are resumed by starting the A/B again). */
  resumeRun(runId: string): { runId: string; done: Promise<EvalRun> } {
    this.assertOpen();
    const run = this.store.getRun(runId);
    if (this.jobs.has(runId)) throw new AppError('INVALID_INPUT', `Run ${runId} is already running.`, { details: { runId } });
    if (run.abId !== null) throw new AppError('INVALID_INPUT', `Run ${runId} is an arm of A/B test ${run.abId}; start the A/B test again instead.`, { details: { runId, abId: run.abId } });
    const runner = new EvalRunner(this.store, this.evalModel());
    return { runId, done: this.launch(runId, [runId], (signal) => runner.run(runId, { signal, onProgress: (p) => this.progress(p, null, 'running') })) };
  }

  /** Starts a paired A/B test in the background. */
  startAB(input: AbStartInput): { abId: string; runA: string; runB: string; done: Promise<AbReport> } {
    this.assertOpen();
    const runner = new EvalRunner(this.store, this.evalModel());
    const plan = planAB(this.store, runner, input);
    const done = this.launch(plan.abId, [plan.runA, plan.runB], (signal) =>
      runAB(plan, { store: this.store, runner, signal, onProgress: (p) => this.progress(p, p.abId, 'running') }),
    );
    return { abId: plan.abId, runA: plan.runA, runB: plan.runB, done };
  }

  /** Aborts a running job by its run id, A/B id or either arm's run id; false when nothing was running. */
  cancel(id: string): boolean {
    for (const [key, job] of this.jobs) {
      if (key === id || job.runIds.includes(id)) {
        job.controller.abort();
        return true;
      }
    }
    return false;
  }

  /** Idempotent: cancels running jobs, waits for them to record their status, closes the store. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const pending = [...this.jobs.values()];
    for (const job of pending) job.controller.abort();
    await Promise.allSettled(pending.map((j) => j.done));
    this.store.dispose();
  }

  private launch<T>(key: string, runIds: string[], work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const done = (async () => {
      try {
        return await work(controller.signal);
      } catch (error) {
        // typed failures are recorded on the run; anything else is a bug: keep its stack in the app log
        if (!(error instanceof AppError)) console.error(`eval job ${key} failed`, error);
        throw error;
      } finally {
        this.jobs.delete(key);
        for (const runId of runIds) {
          const run = this.store.getRun(runId);
          this.progress({ runId, done: run.summary.completed, total: run.summary.total, passed: run.summary.passed }, run.abId, run.status);
        }
      }
    })();
    // Background failures are already recorded on the run (status + error); callers that await `done` see them.
    done.catch(() => {});
    this.jobs.set(key, { controller, done, runIds });
    return done;
  }

  private progress(p: EvalProgress, abId: string | null, status: EvalRunStatus): void {
    this.core.emit('eval.progress', { runId: p.runId, abId, status, done: p.done, total: p.total, passed: p.passed });
  }

  private assertOpen(): void {
    if (this.disposed) throw new AppError('INTERNAL', 'The eval feature is disposed.');
  }
}
