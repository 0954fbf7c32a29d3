import type { EventName, EventPayload } from '../../../shared/contract/index.js';
import type { ModelDownloader } from '../../services/downloads/index.js';
import type { LedgerStore } from '../../services/ledger/index.js';
import type { ModelManager } from '../../services/llm/index.js';
import type { NetworkGuard } from '../../services/network/index.js';
import type { RequestPipeline } from '../../services/routing/index.js';
import type { SettingsStore } from '../../services/settings/index.js';

/** The services every feature builds on; created first by `AppServices.create`, disposed last. */
export interface CoreServices {
  readonly dataDir: string;
  readonly models: ModelManager;
  readonly settings: SettingsStore;
  readonly network: NetworkGuard;
  readonly downloader: ModelDownloader;
  readonly ledger: LedgerStore;
  readonly pipeline: RequestPipeline;
  /** Push an event to every connected UI (background work: progress, alerts). No-op until a transport listens. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}
