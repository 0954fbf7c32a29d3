import path from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import type { EmbedOptions, Embedder } from './Embedder.js';
import { EmbedderDisposedError } from './EmbedderDisposedError.js';
import { EmbedderLoadError } from './EmbedderLoadError.js';
import { runInBatches } from './runInBatches.js';
import { requireLocalModelFiles } from './requireLocalModelFiles.js';

/** Model file precision; picks `onnx/model{suffix}.onnx` the way transformers.js does. */
export type TransformersDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4';
const DTYPE_SUFFIX: Record<TransformersDtype, string> = { fp32: '', fp16: '_fp16', q8: '_quantized', int8: '_int8', uint8: '_uint8', q4: '_q4' };

export interface TransformersEmbedderOptions {
  /** A transformers.js model folder: config.json, tokenizer.json, tokenizer_config.json, onnx/model*.onnx. */
  modelDir: string;
  /** Texts per forward pass. Default 32. Texts are grouped longest-first (by characters) so each padded batch holds similar lengths; results come back in input order. */
  batchSize?: number;
  /** Default 'fp32' (transformers.js would pick q8 on wasm; in Node it is fp32 too, we make it explicit so the file we check for is the file loaded). */
  dtype?: TransformersDtype;
  /** onnxruntime intra-op threads. Default 1: the app shares cores with the LLM; raise it for bulk ingestion. */
  threads?: number;
  /** Default `transformers:<folder name>`. */
  id?: string;
  /** Mean pooling over non-padding tokens (sentence-transformers default) or the [CLS] vector. Default 'mean'. */
  pooling?: 'mean' | 'cls';
}

/**
 * Sentence embeddings from a local transformers.js (ONNX) model, fully offline: remote model
 * download is disabled process-wide (`env.allowRemoteModels = false`) and the folder is loaded by
 * absolute path. A missing folder/file is `EmbedderMissingError` (the Models screen offers the download).
 */
export class TransformersEmbedder implements Embedder {
  private disposed = false;

  private constructor(
    readonly id: string,
    readonly dimensions: number,
    /** Longest input in tokens (including [CLS]/[SEP]); longer texts are truncated, so chunkers should stay below it. */
    readonly maxTokens: number,
    private readonly extractor: FeatureExtractionPipeline,
    private readonly batchSize: number,
    private readonly pooling: 'mean' | 'cls',
  ) {}

  static async create(options: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
    const modelDir = path.resolve(options.modelDir);
    const id = options.id ?? `transformers:${path.basename(modelDir)}`;
    const dtype = options.dtype ?? 'fp32';
    await requireLocalModelFiles(id, modelDir, ['config.json', 'tokenizer.json', `onnx/model${DTYPE_SUFFIX[dtype]}.onnx`]);
    env.localModelPath = path.dirname(modelDir);

    let extractor: FeatureExtractionPipeline;
    try {
      extractor = (await pipeline('feature-extraction', modelDir, {
        dtype,
        device: 'cpu',
        local_files_only: true,
        session_options: { intraOpNumThreads: options.threads ?? 1, interOpNumThreads: 1 },
      })) as FeatureExtractionPipeline;
    } catch (cause) {
      throw new EmbedderLoadError(id, modelDir, cause instanceof Error ? cause.message : String(cause), { cause });
    }
    const config = extractor.model.config as unknown as { hidden_size?: number; max_position_embeddings?: number };
    const tokenizerMax = (extractor.tokenizer as unknown as { model_max_length?: number }).model_max_length;
    const maxTokens = Math.min(tokenizerMax ?? Infinity, config.max_position_embeddings ?? Infinity);
    let dimensions = config.hidden_size;
    if (dimensions === undefined) {
      const probe = await extractor(['probe'], { pooling: 'mean', normalize: true });
      dimensions = probe.dims[1]!;
    }
    return new TransformersEmbedder(
      id,
      dimensions,
      Number.isFinite(maxTokens) ? maxTokens : 512,
      extractor,
      options.batchSize ?? 32,
      options.pooling ?? 'mean',
    );
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    if (this.disposed) throw new EmbedderDisposedError(this.id);
    return runInBatches(
      texts,
      this.batchSize,
      async (batch) => {
        const out = await this.extractor([...batch], { pooling: this.pooling, normalize: true });
        const data = out.data as Float32Array;
        const dims = this.dimensions;
        return batch.map((_, i) => data.slice(i * dims, (i + 1) * dims));
      },
      { signal: options.signal, sortKey: (t) => t.length },
    );
  }

  countTokens(text: string): number {
    return this.extractor.tokenizer.encode(text, { add_special_tokens: false }).length;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.extractor.dispose();
  }
}
