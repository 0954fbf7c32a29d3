import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { AppError } from '../../../shared/errors.js';
import { chunkDocument } from '../ingest/index.js';
import { DocumentStore, type ChunkRow, type VectorIndexType } from './DocumentStore.js';
import type { Embedder, Reranker } from './EmbedderContract.js';
import { HybridRetriever, type RetrievalMode } from './HybridRetriever.js';
import { RetrievalMetrics as M } from './RetrievalMetrics.js';

/** The dataset folder is not in BEIR layout or a line does not parse. */
export class DatasetInvalidError extends AppError {
  constructor(readonly file: string, readonly reason: string) {
    super('DATASET_INVALID', `${file}: ${reason}`, { details: { file, reason } });
  }
}

export interface RetrievalEvalOptions {
  /** BEIR layout: corpus.jsonl ({_id, title, text}), queries.jsonl ({_id, text}), qrels/test.tsv (query-id, corpus-id, score). */
  datasetDir: string;
  /** One mode, or several evaluated over the same ingested store (ingest once, compare fairly). */
  mode: RetrievalMode | readonly RetrievalMode[];
  embedder: Embedder;
  reranker?: Reranker;
  /** Cut-off for nDCG/Recall/MRR reported as "@k". Default 10. Recall@100 is always reported. */
  k?: number;
  /** Store folder; default a fresh temp folder, deleted afterwards. */
  storeDir?: string;
  /** Chunk size in embedder tokens. Default 256 (most BEIR passages are one chunk). */
  chunkTokens?: number;
  overlapTokens?: number;
  alpha?: number;
  /** Evaluate only the first N judged queries (quick runs). Default all. */
  maxQueries?: number;
  vectorIndex?: VectorIndexType;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

export interface RetrievalEvalResult {
  mode: RetrievalMode;
  queries: number;
  k: number;
  ndcgAtK: number;
  recallAtK: number;
  recallAt100: number;
  mrrAtK: number;
  latencyMs: { p50: number; p95: number };
}

export interface RetrievalEvalReport {
  dataset: string;
  embedderId: string;
  docs: number;
  chunks: number;
  ingestMs: number;
  results: RetrievalEvalResult[];
}

async function* jsonl(file: string): AsyncGenerator<Record<string, unknown>> {
  let n = 0;
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) {
    n++;
    if (!line.trim()) continue;
    try {
      yield JSON.parse(line) as Record<string, unknown>;
    } catch (e) {
      throw new DatasetInvalidError(file, `line ${n} is not JSON: ${(e as Error).message}`);
    }
  }
}

/** Reads a BEIR dataset folder. Only queries with at least one judgment are kept (BEIR convention). */
export async function readBeirDataset(dir: string): Promise<{
  corpus: { id: string; title: string; text: string }[];
  queries: { id: string; text: string }[];
  qrels: Map<string, Map<string, number>>;
}> {
  const corpus: { id: string; title: string; text: string }[] = [];
  const need = (f: string) => path.join(dir, f);
  try {
    for await (const r of jsonl(need('corpus.jsonl'))) corpus.push({ id: String(r._id), title: String(r.title ?? ''), text: String(r.text ?? '') });
  } catch (e) {
    if (e instanceof DatasetInvalidError) throw e;
    throw new DatasetInvalidError(need('corpus.jsonl'), (e as Error).message);
  }
  const qrels = new Map<string, Map<string, number>>();
  let tsv: string;
  try {
    tsv = await readFile(need('qrels/test.tsv'), 'utf8');
  } catch (e) {
    throw new DatasetInvalidError(need('qrels/test.tsv'), (e as Error).message);
  }
  tsv.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim() || (i === 0 && /query/i.test(line))) return;
    const [q, d, s] = line.split('\t');
    const score = Number(s);
    if (q === undefined || d === undefined || !Number.isFinite(score)) throw new DatasetInvalidError(need('qrels/test.tsv'), `bad line ${i + 1}`);
    if (!qrels.has(q)) qrels.set(q, new Map());
    qrels.get(q)!.set(d, score);
  });
  const queries: { id: string; text: string }[] = [];
  try {
    for await (const r of jsonl(need('queries.jsonl'))) if (qrels.has(String(r._id))) queries.push({ id: String(r._id), text: String(r.text ?? '') });
  } catch (e) {
    if (e instanceof DatasetInvalidError) throw e;
    throw new DatasetInvalidError(need('queries.jsonl'), (e as Error).message);
  }
  return { corpus, queries, qrels };
}

/**
 * Runs a BEIR-format retrieval evaluation: ingests the corpus (title + text per document, chunked
 * in embedder tokens) into a fresh store, runs every judged query through {@link HybridRetriever}
 * in each requested mode, ranks documents by their best chunk, and reports nDCG@k, Recall@k,
 * Recall@100, MRR@k (trec_eval definitions, see {@link RetrievalMetrics}) and query latency
 * p50/p95 (wall time of retrieve(), including query embedding).
 */
export async function runRetrievalEval(options: RetrievalEvalOptions): Promise<RetrievalEvalReport> {
  const k = options.k ?? 10;
  const modes: RetrievalMode[] = typeof options.mode === 'string' ? [options.mode] : [...options.mode];
  const log = options.onProgress ?? (() => undefined);
  const data = await readBeirDataset(options.datasetDir);
  if (data.corpus.length === 0) throw new DatasetInvalidError(path.join(options.datasetDir, 'corpus.jsonl'), 'no documents');
  const ownDir = options.storeDir === undefined;
  const dir = options.storeDir ?? (await mkdtemp(path.join(tmpdir(), 'hearth-eval-')));
  const store = await DocumentStore.open({ dir, embedder: options.embedder, vectorIndex: options.vectorIndex });
  try {
    const t0 = performance.now();
    const countTokens = (t: string) => options.embedder.countTokens(t);
    let pendingRows: ChunkRow[] = [];
    let pendingTexts: { text: string; row: Omit<ChunkRow, 'vector'> }[] = [];
    let chunks = 0;
    const flush = async (): Promise<void> => {
      if (pendingTexts.length === 0) return;
      const vecs = await options.embedder.embed(pendingTexts.map((p) => p.text), { signal: options.signal });
      pendingRows.push(...pendingTexts.map((p, i) => ({ ...p.row, vector: vecs[i]! })));
      pendingTexts = [];
      if (pendingRows.length >= 512) {
        await store.addChunks(pendingRows);
        pendingRows = [];
      }
    };
    for (const [n, d] of data.corpus.entries()) {
      const text = d.title && !d.text.startsWith(d.title) ? `${d.title}\n\n${d.text}` : d.text;
      const pieces = chunkDocument({ text, pages: [{ page: 1, text, charStart: 0 }] }, { countTokens, chunkTokens: options.chunkTokens ?? 256, overlapTokens: options.overlapTokens ?? 32 });
      for (const c of pieces) {
        pendingTexts.push({
          text: c.text,
          row: { id: `${d.id}#${c.index}`, docId: d.id, text: c.text, page: 1, pageEnd: 1, charStart: c.charStart, charEnd: c.charEnd, chunkIndex: c.index, title: d.title, tags: [], collection: 'eval', createdAt: 0 },
        });
        chunks++;
      }
      if (pendingTexts.length >= 64) await flush();
      if ((n + 1) % 200 === 0) log(`ingested ${n + 1}/${data.corpus.length} docs (${chunks} chunks)`);
    }
    await flush();
    await store.addChunks(pendingRows);
    await store.ensureIndexes();
    await store.optimize();
    const ingestMs = performance.now() - t0;
    log(`ingest done: ${data.corpus.length} docs, ${chunks} chunks in ${(ingestMs / 1000).toFixed(1)} s`);

    const queries = options.maxQueries ? data.queries.slice(0, options.maxQueries) : data.queries;
    const results: RetrievalEvalResult[] = [];
    for (const mode of modes) {
      // A fresh retriever per mode: its query-vector cache must not make later modes look faster.
      const retriever = new HybridRetriever({ store, reranker: options.reranker, alpha: options.alpha });
      const ndcg: number[] = [], r10: number[] = [], r100: number[] = [], mrr: number[] = [], lat: number[] = [];
      for (const q of queries) {
        options.signal?.throwIfAborted();
        const t = performance.now();
        const passages = await retriever.retrieve(q.text, { k: 150, mode, returnParents: false, signal: options.signal });
        lat.push(performance.now() - t);
        const ranked: string[] = [];
        const seen = new Set<string>();
        for (const p of passages) {
          if (seen.has(p.docId)) continue;
          seen.add(p.docId);
          ranked.push(p.docId);
        }
        const j = data.qrels.get(q.id)!;
        ndcg.push(M.ndcgAtK(ranked, j, k));
        r10.push(M.recallAtK(ranked, j, k));
        r100.push(M.recallAtK(ranked, j, 100));
        mrr.push(M.mrrAtK(ranked, j, k));
      }
      const r: RetrievalEvalResult = {
        mode, queries: queries.length, k, ndcgAtK: M.mean(ndcg), recallAtK: M.mean(r10), recallAt100: M.mean(r100), mrrAtK: M.mean(mrr),
        latencyMs: { p50: M.percentile(lat, 50), p95: M.percentile(lat, 95) },
      };
      log(`${mode}: nDCG@${k}=${r.ndcgAtK.toFixed(4)} R@${k}=${r.recallAtK.toFixed(4)} R@100=${r.recallAt100.toFixed(4)} MRR@${k}=${r.mrrAtK.toFixed(4)} p50=${r.latencyMs.p50.toFixed(1)}ms p95=${r.latencyMs.p95.toFixed(1)}ms`);
      results.push(r);
    }
    return { dataset: options.datasetDir, embedderId: options.embedder.id, docs: data.corpus.length, chunks, ingestMs, results };
  } finally {
    await store.dispose();
    if (ownDir) await rm(dir, { recursive: true, force: true });
  }
}
