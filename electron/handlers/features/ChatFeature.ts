import type { CoreServices } from './CoreServices.js';
import type { DocumentsFeature } from './DocumentsFeature.js';

/** Owns grounded chat over documents (retrieval, constrained answer with citations) and its persisted history. */
export class ChatFeature {
  private disposed = false;

  private constructor(private readonly core: CoreServices) {}

  static async create(core: CoreServices, deps: { documents: DocumentsFeature }): Promise<ChatFeature> {
    void deps;
    return new ChatFeature(core);
  }

  /** Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    void this.core;
  }
}
