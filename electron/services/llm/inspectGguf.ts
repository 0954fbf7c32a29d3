import fs from 'node:fs/promises';
import path from 'node:path';
import { GgmlType, GgufFileType, GgufInsights, readGgufFileInfo, type GgufFileInfo } from 'node-llama-cpp';
import type { GgufSummary } from '../../../shared/schemas/models.js';
import { ModelCorruptError, ModelNotFoundError } from './errors.js';

const HEADER_READ_TIMEOUT_MS = 10_000;
/** Sanity caps far above any real model, below what a random header would claim. */
const MAX_TENSORS = 1_000_000n;
const MAX_KV = 100_000n;

/** magic, version, tensor count and KV count: the 24 fixed bytes every GGUF (v2, v3) starts with. */
async function checkFixedHeader(file: string, size: number): Promise<void> {
  if (size < 24) throw new ModelCorruptError(file, `the file is only ${size} bytes, smaller than a GGUF header`);
  const fd = await fs.open(file, 'r');
  const head = Buffer.alloc(24);
  try {
    await fd.read(head, 0, 24, 0);
  } finally {
    await fd.close();
  }
  if (head.toString('latin1', 0, 4) !== 'GGUF') throw new ModelCorruptError(file, 'the file does not start with the GGUF magic bytes');
  const version = head.readUInt32LE(4);
  if (version < 2 || version > 3) throw new ModelCorruptError(file, `unsupported GGUF version ${version}`);
  const tensors = head.readBigUInt64LE(8);
  const kvs = head.readBigUInt64LE(16);
  if (tensors > MAX_TENSORS || kvs > MAX_KV) {
    throw new ModelCorruptError(file, `the header claims ${tensors} tensors and ${kvs} metadata entries, which no real model has`);
  }
}

export interface InspectedGguf {
  summary: GgufSummary;
  fileInfo: GgufFileInfo;
  insights: GgufInsights;
}

/**
 * Reads a GGUF's header and tensor table (not the weights) and checks that the file is as long as its
 * tensor table says, so a truncated download is reported as corrupt before llama.cpp tries to mmap it.
 */
export async function inspectGgufDetailed(filePath: string): Promise<InspectedGguf> {
  const absolute = path.resolve(filePath);
  let stat;
  try {
    stat = await fs.stat(absolute);
  } catch {
    throw new ModelNotFoundError(absolute);
  }
  if (!stat.isFile()) throw new ModelNotFoundError(absolute);
  await checkFixedHeader(absolute, stat.size);
  let fileInfo: GgufFileInfo;
  let timer: NodeJS.Timeout | undefined;
  try {
    // node-llama-cpp's reader can wait forever on some malformed headers; a real header reads in milliseconds.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`reading the header took longer than ${HEADER_READ_TIMEOUT_MS} ms`)), HEADER_READ_TIMEOUT_MS);
    });
    fileInfo = await Promise.race([readGgufFileInfo(absolute, { readTensorInfo: true, logWarnings: false }), timeout]);
  } catch (err) {
    throw new ModelCorruptError(absolute, `the GGUF header could not be read (${(err as Error).message})`, err);
  } finally {
    clearTimeout(timer);
  }
  const insights = await GgufInsights.from(fileInfo);
  const expectedBytes = (fileInfo.infoEndOffset ?? 0) + insights.modelSize;
  if (fileInfo.infoEndOffset !== undefined && stat.size < expectedBytes) {
    throw new ModelCorruptError(absolute, `the file is truncated: ${stat.size} bytes, but its tensors need ${expectedBytes}`);
  }
  const general = fileInfo.metadata.general;
  const arch = fileInfo.architectureMetadata as Record<string, unknown>;
  const tokenizer = fileInfo.metadata.tokenizer;
  const fileType = general.file_type;
  const numberOrNull = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
  const summary: GgufSummary = {
    path: absolute,
    fileName: path.basename(absolute),
    sizeBytes: stat.size,
    name: general.name ?? null,
    architecture: String(general.architecture),
    parameters: insights.totalParameters,
    // general.file_type when the writer set it, else the type most of the weight bytes are stored in
    quantization:
      fileType !== undefined
        ? (GgufFileType[fileType] ?? String(fileType))
        : insights.dominantTensorType === undefined
          ? null
          : (GgmlType[insights.dominantTensorType] ?? null),
    contextLength: numberOrNull(arch.context_length),
    embeddingLength: numberOrNull(arch.embedding_length),
    layers: numberOrNull(arch.block_count),
    vocabularySize: Array.isArray(tokenizer?.ggml?.tokens) ? tokenizer.ggml.tokens.length : null,
    tokenizer: tokenizer?.ggml?.model ?? null,
    chatTemplate: tokenizer?.chat_template ?? null,
  };
  return { summary, fileInfo, insights };
}

/** `models inspect`: architecture, parameters, quantization, context length and chat template of a GGUF file. */
export async function inspectGguf(filePath: string): Promise<GgufSummary> {
  return (await inspectGgufDetailed(filePath)).summary;
}
