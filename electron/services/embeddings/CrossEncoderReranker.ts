import path from 'node:path';
import {
  AutoModelForSequenceClassification,
  AutoTokenizer,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
} from '@huggingface/transformers';
import { EmbedderDisposedError } from './EmbedderDisposedError.js';
import { EmbedderLoadError } from './EmbedderLoadError.js';
import type { Reranker } from './Reranker.js';
import { runInBatches } from './runInBatches.js';
import { requireLocalModelFiles } from './requireLocalModelFiles.js';

export interface CrossEncoderRerankerOptions {
  /** transformers.js sequence-classification folder with a single-logit head (e.g. ms-marco MiniLM cross-encoders). */
  modelDir: string;
  /** Pairs per forward pass. Default 16. */
  batchSize?: number;
  /** onnxruntime intra-op threads. Default 1. */
  threads?: number;
  /** 'sigmoid' (default, as sentence-transformers' CrossEncoder does for 1 label) maps logits into (0, 1) so a threshold means the same across queries; 'none' returns raw logits (same order). */
  activation?: 'sigmoid' | 'none';
  /** Default `cross-encoder:<folder name>`. */
  id?: string;
}

/**
 * Reranks passages by running (query, passage) through a BERT-style cross-encoder
 * (`[CLS] query [SEP] passage [SEP]`, token types 0/1). Costlier than bi-encoder similarity (one
 * forward pass per pair, nothing cacheable), so use it on the top-k candidates only.
 */
export class CrossEncoderReranker implements Reranker {
  private disposed = false;

  private constructor(
    readonly id: string,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
    private readonly batchSize: number,
    private readonly activation: 'sigmoid' | 'none',
  ) {}

  static async create(options: CrossEncoderRerankerOptions): Promise<CrossEncoderReranker> {
    const modelDir = path.resolve(options.modelDir);
    const id = options.id ?? `cross-encoder:${path.basename(modelDir)}`;
    await requireLocalModelFiles(id, modelDir, ['config.json', 'tokenizer.json', 'onnx/model.onnx']);
    try {
      const tokenizer = await AutoTokenizer.from_pretrained(modelDir, { local_files_only: true });
      const model = await AutoModelForSequenceClassification.from_pretrained(modelDir, {
        dtype: 'fp32',
        device: 'cpu',
        local_files_only: true,
        session_options: { intraOpNumThreads: options.threads ?? 1, interOpNumThreads: 1 },
      });
      return new CrossEncoderReranker(id, tokenizer, model, options.batchSize ?? 16, options.activation ?? 'sigmoid');
    } catch (cause) {
      throw new EmbedderLoadError(id, modelDir, cause instanceof Error ? cause.message : String(cause), { cause });
    }
  }

  async score(query: string, passages: readonly string[], options: { signal?: AbortSignal } = {}): Promise<number[]> {
    if (this.disposed) throw new EmbedderDisposedError(this.id);
    return runInBatches(
      passages,
      this.batchSize,
      async (batch) => {
        const inputs = this.tokenizer(
          batch.map(() => query),
          { text_pair: [...batch], padding: true, truncation: true },
        );
        const { logits } = (await this.model(inputs)) as { logits: Tensor };
        const data = logits.data as Float32Array;
        const labels = logits.dims[1] ?? 1;
        // Multi-label heads (rare for rerankers) use the last label as "relevant".
        return batch.map((_, i) => {
          const z = data[i * labels + labels - 1]!;
          return this.activation === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : z;
        });
      },
      { signal: options.signal, sortKey: (t) => t.length },
    );
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.model.dispose();
  }
}
