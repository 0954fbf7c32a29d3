import { evalChannels } from '../../shared/contract/evalContract.js';
import type { AppServices } from './AppServices.js';
import type { HandlersFor, HandlerEnvironment } from './createHandlers.js';

/**
 * Handlers of the Eval feature's channels (see `shared/contract/evalContract.ts`). Starting a run or an A/B test
 * returns its id at once; the work continues in the background (`services.evals`) and reports through
 * `eval.progress` events, so a long run never holds a request open.
 */
export function createEvalHandlers(services: AppServices, _env: HandlerEnvironment): HandlersFor<keyof typeof evalChannels> {
  const evals = () => services.evals;
  return {
    'eval.datasets.list': async () => evals().store.listDatasets(),
    'eval.datasets.import': async ({ name, jsonl, kind }) => evals().store.importDataset(name, jsonl, kind),
    'eval.datasets.get': async ({ name, version, offset, limit }) => {
      const { dataset, cases } = evals().store.getDataset(name, version);
      return { dataset, versions: evals().store.datasetVersions(name), cases: cases.slice(offset, offset + limit) };
    },
    'eval.runs.start': async (input) => ({ runId: evals().startRun(input).runId }),
    'eval.runs.resume': async ({ runId }) => ({ runId: evals().resumeRun(runId).runId }),
    'eval.runs.list': async ({ dataset, limit }) => evals().store.listRuns({ ...(dataset === undefined ? {} : { dataset }), limit }),
    'eval.runs.get': async ({ runId }) => evals().store.getRunDetail(runId),
    'eval.runs.cancel': async ({ runId }) => ({ cancelled: evals().cancel(runId) }),
    'eval.ab.start': async (input) => {
      const { abId, runA, runB } = evals().startAB(input);
      return { abId, runA, runB };
    },
    'eval.ab.get': async ({ abId }) => evals().store.getAb(abId),
    'eval.ab.list': async () => evals().store.listAbs(),
  };
}
