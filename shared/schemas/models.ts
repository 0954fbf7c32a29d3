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

/** A file name inside the models folder's `downloads/` subfolder: no separators, no leading dot. */
export const DownloadFileName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'Use letters, digits, ".", "_" or "-" (no folders).');

/** Download any file by URL (e.g. a Hugging Face `resolve/` link) into the models folder. */
export const DownloadUrlInput = z.object({
  url: z.string().url().refine((u) => /^https?:\/\//i.test(u), 'Only http(s) URLs can be downloaded.'),
  /**
   * Expected sha256 (hex). Null: verify against the server's sha256 ETag (Hugging Face LFS files carry one);
   * without either the download is refused rather than installed unverified.
   */
  sha256: z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(z.string().regex(/^[0-9a-f]{64}$/, 'A sha256 is 64 hex digits.'))
    .nullable()
    .default(null),
  /** Defaults to the last segment of the URL's path. */
  fileName: DownloadFileName.optional(),
  /** Exact size when known (checked before the checksum). */
  sizeBytes: z.number().int().positive().nullable().default(null),
});
export type DownloadUrlInput = z.input<typeof DownloadUrlInput>;

/** A URL download that stopped part-way (cancelled, connection lost): enough to continue it. */
export const PartialDownload = z.object({
  fileName: DownloadFileName,
  url: z.string(),
  sha256: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  partialBytes: z.number().int().nonnegative(),
});
export type PartialDownload = z.infer<typeof PartialDownload>;

export const DownloadUrlResult = z.object({
  path: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type DownloadUrlResult = z.infer<typeof DownloadUrlResult>;
