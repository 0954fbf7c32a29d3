import type { CoreServices } from './CoreServices.js';

/** Owns documents, collections, ingestion and the LanceDB index (with the embedder it was built with). */
export class DocumentsFeature {
  private disposed = false;

  private constructor(private readonly core: CoreServices) {}

  static async create(core: CoreServices): Promise<DocumentsFeature> {
    return new DocumentsFeature(core);
  }

  /** Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    void this.core;
  }
}
