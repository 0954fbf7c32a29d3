import type { CoreServices } from './CoreServices.js';

/** Owns the Costs screen's view of the ledger: scheduled anomaly scans, alert delivery, cache wiring. */
export class CostsFeature {
  private disposed = false;

  private constructor(private readonly core: CoreServices) {}

  static async create(core: CoreServices): Promise<CostsFeature> {
    return new CostsFeature(core);
  }

  /** Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    void this.core;
  }
}
