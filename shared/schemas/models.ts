import { z } from 'zod';

/** What `models inspect` reports about a GGUF file, read from its header without loading weights. */
export const GgufSummary = z.object({
  path: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  name: z.string().nullable(),
  architecture: z.string(),
  parameters: z.number().int().nonnegative(),
  /** e.g. "Q8_0", "F16", "MOSTLY_Q4_K_M"; null when the file does not say. */
  quantization: z.string().nullable(),
  contextLength: z.number().int().nullable(),
  embeddingLength: z.number().int().nullable(),
  layers: z.number().int().nullable(),
  vocabularySize: z.number().int().nullable(),
  tokenizer: z.string().nullable(),
  chatTemplate: z.string().nullable(),
});
export type GgufSummary = z.infer<typeof GgufSummary>;

export const ModelKind = z.enum(['gguf', 'onnx']);

export const InstalledModel = z.object({
  id: z.string(),
  kind: ModelKind,
  path: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  /** Where it came from: the app's models folder, a file the user opened, or a generated fixture. */
  source: z.enum(['models-folder', 'opened', 'fixture']),
  summary: GgufSummary.nullable(),
});
export type InstalledModel = z.infer<typeof InstalledModel>;

export const LoadModelOptions = z.object({
  path: z.string().min(1),
  contextSize: z.number().int().min(64).max(1_048_576).optional(),
  gpuLayers: z.union([z.literal('auto'), z.number().int().min(0)]).optional(),
  threads: z.number().int().min(1).max(256).optional(),
});
export type LoadModelOptions = z.infer<typeof LoadModelOptions>;

export const LoadedModel = z.object({
  path: z.string(),
  name: z.string(),
  contextSize: z.number().int(),
  threads: z.number().int(),
  gpu: z.string(), // 'cpu' | 'cuda' | 'vulkan' | 'metal'
  gpuLayers: z.number().int(),
  loadMs: z.number(),
  summary: GgufSummary,
});
export type LoadedModel = z.infer<typeof LoadedModel>;

export const Hardware = z.object({
  platform: z.string(),
  arch: z.string(),
  cpuModel: z.string(),
  logicalCores: z.number().int(),
  physicalCores: z.number().int(),
  ramBytes: z.number(),
  freeRamBytes: z.number(),
  gpu: z.string(),
  vramBytes: z.number().nullable(),
});
export type Hardware = z.infer<typeof Hardware>;

/** One downloadable model in the manifest (models/manifest.json). */
export const ManifestEntry = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  name: z.string(),
  kind: z.enum(['gguf', 'onnx']),
  role: z.enum(['chat', 'embedding', 'reranker']),
  description: z.string(),
  license: z.string(),
  /** Approximate RAM needed to run it, for recommendations. */
  minRamGb: z.number().positive(),
  files: z
    .array(
      z.object({
        url: z.string().url(),
        /** Relative path inside the models folder. */
        path: z.string().regex(/^(?!\/)(?!.*\.\.)[A-Za-z0-9._/-]+$/),
        /** Exact size when known; checked before the checksum. */
        sizeBytes: z.number().int().positive().nullable(),
        /** sha256 (hex) when known; otherwise the server's sha256 ETag (Hugging Face LFS) must be present. */
        sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
      }),
    )
    .min(1),
});
export type ManifestEntry = z.infer<typeof ManifestEntry>;

export const DownloadProgress = z.object({
  requestId: z.string(),
  modelId: z.string(),
  file: z.string(),
  receivedBytes: z.number(),
  totalBytes: z.number().nullable(),
  bytesPerSecond: z.number(),
  etaMs: z.number().nullable(),
});
export type DownloadProgress = z.infer<typeof DownloadProgress>;
