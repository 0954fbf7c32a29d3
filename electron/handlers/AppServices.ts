import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ManifestEntry } from '../../shared/schemas/models.js';
import { ModelDownloader } from '../services/downloads/index.js';
import { Registry } from 'prom-client';
import { createLedgerMetrics, LedgerStore, type LocalCostConfig } from '../services/ledger/index.js';
import type { Settings } from '../../shared/schemas/settings.js';
import type { RequestPipeline } from '../services/routing/index.js';
import { createRequestPipeline } from './createRequestPipeline.js';
import { ModelManager } from '../services/llm/index.js';
import type { EmbedderSpec } from '../services/embeddings/index.js';
import { NetworkGuard } from '../services/network/index.js';
import { FileKeySecretStore, SettingsStore, type SecretStore } from '../services/settings/index.js';
import manifestJson from '../../models/manifest.json' with { type: 'json' };
import type { EventName, EventPayload } from '../../shared/contract/index.js';
import type { CoreServices } from './features/CoreServices.js';
import { DocumentsFeature } from './features/DocumentsFeature.js';
import { ChatFeature } from './features/ChatFeature.js';
import { CostsFeature } from './features/CostsFeature.js';
import { EvalFeature } from './features/EvalFeature.js';

/** Settings' power figures → the ledger's local cost model. */
function localCostConfig(power: Settings['power']): LocalCostConfig {
  return {
    watts: power.deviceWatts,
    usdPerKwh: power.electricityUsdPerKwh,
    ...(power.hardwareCostUsd === null ? {} : { hardwarePriceUsd: power.hardwareCostUsd }),
    ...(power.hardwareLifetimeHours === null ? {} : { hardwareLifetimeHours: power.hardwareLifetimeHours }),
  };
}

type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface AppServicesOptions {
  /** Where the app keeps its ledger, index, models and settings. */
  dataDir: string;
  /** Extra model folders to list (dev, tests). Also read from HEARTH_EXTRA_MODEL_DIRS (path-delimited). */
  extraModelDirs?: readonly string[];
  cpuOnly?: boolean;
  /** Electron main passes its safeStorage-backed store; elsewhere the documented file-key fallback is used. */
  secretStore?: SecretStore;
  /**
   * The embedder of the document index and the semantic cache. Default: `HEARTH_EMBEDDER`, else USE-Lite (see
   * `DocumentsFeatureOptions.embedder`).
   */
  embedder?: EmbedderSpec;
}

/**
 * The composition root: every long-lived service, created once per process and disposed together.
 * Main (IPC), the bridge and the CLI all build their handlers on this.
 */
export class AppServices implements CoreServices {
  private disposed = false;
  private sink: EventSink | null = null;
  // Features are created right after the core (they need `this` as their CoreServices).
  documents!: DocumentsFeature;
  chat!: ChatFeature;
  costs!: CostsFeature;
  evals!: EvalFeature;

  private constructor(
    readonly dataDir: string,
    readonly models: ModelManager,
    readonly settings: SettingsStore,
    readonly network: NetworkGuard,
    readonly downloader: ModelDownloader,
    readonly manifest: ManifestEntry[],
    readonly ledger: LedgerStore,
    readonly pipeline: RequestPipeline,
  ) {}

  /** Background work (progress, alerts) reaches the UIs through this; `createApp` connects it to the transports. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.sink?.(event, payload);
  }

  setEventSink(sink: EventSink | null): void {
    this.sink = sink;
  }

  static async create(options: AppServicesOptions): Promise<AppServices> {
    const dataDir = path.resolve(options.dataDir);
    await fs.mkdir(dataDir, { recursive: true });
    const fromEnv = (process.env.HEARTH_EXTRA_MODEL_DIRS ?? '').split(path.delimiter).filter((d) => d.length > 0);
    const modelsDir = path.join(dataDir, 'models');
    const models = await ModelManager.create({
      modelsDir,
      extraDirs: [...(options.extraModelDirs ?? []), ...fromEnv],
      cpuOnly: options.cpuOnly ?? false,
    });
    const settings = await SettingsStore.open(dataDir, options.secretStore ?? (await FileKeySecretStore.open(dataDir)));
    // The Node-side offline guard: enabled providers and approved download hosts only, read live from settings.
    const network = new NetworkGuard(() => {
      const s = settings.get();
      const providerHosts = s.providers.filter((p) => p.enabled).map((p) => new URL(p.baseUrl).host);
      return { offline: s.offline, allowedHosts: [...providerHosts, ...s.approvedDownloadHosts] };
    });
    const downloader = new ModelDownloader({ modelsDir, fetch: network.fetch });
    const manifest = z.array(ManifestEntry).parse(manifestJson.models);
    const ledger = await LedgerStore.open({
      dataDir,
      compareModels: settings.get().comparisonModels,
      local: localCostConfig(settings.get().power),
      metrics: createLedgerMetrics(new Registry()), // per app, so tests and the CLI never share counters
    });
    // The power and electricity figures in Settings price every local request recorded after a change.
    settings.onChange((s) => ledger.setLocalCost(localCostConfig(s.power)));
    const pipeline = createRequestPipeline(ledger);
    const app = new AppServices(dataDir, models, settings, network, downloader, manifest, ledger, pipeline);
    try {
      app.documents = await DocumentsFeature.create(app, options.embedder === undefined ? {} : { embedder: options.embedder });
      app.chat = await ChatFeature.create(app, { documents: app.documents });
      // The semantic cache shares the index's embedder: one model in memory, loaded lazily by whichever needs it first.
      app.costs = await CostsFeature.create(app, { cacheEmbedder: app.documents.embedder });
      app.evals = await EvalFeature.create(app);
      // A changed or deleted document invalidates the cached answers that were built on it. The corpus version is
      // persisted with the index, so entries of the current version survive a restart; entries of any other version
      // (e.g. written before a crash that lost the version file) are dropped now.
      const corpusVersion = () => String(app.documents.corpusVersion());
      app.costs.invalidateDocuments([], corpusVersion());
      app.documents.onDocumentsChanged((ids) => app.costs.invalidateDocuments(ids, corpusVersion()));
    } catch (error) {
      await app.dispose();
      throw error;
    }
    return app;
  }

  /** Idempotent: flushes and closes everything (ledger, index, model). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    // Features first (they may flush into the ledger or the index), then the core.
    for (const feature of [this.evals, this.costs, this.chat, this.documents]) await feature?.dispose();
    await this.models.dispose();
    await this.ledger.dispose(); // flushes queued rows and checkpoints the WAL
  }
}
