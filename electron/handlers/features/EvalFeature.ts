import type { CoreServices } from './CoreServices.js';

/** Owns eval datasets, stored runs and A/B tests over the real provider path. */
export class EvalFeature {
  private disposed = false;

  private constructor(private readonly core: CoreServices) {}

  static async create(core: CoreServices): Promise<EvalFeature> {
    return new EvalFeature(core);
  }

  /** Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    void this.core;
  }
}
