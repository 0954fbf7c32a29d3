/**
 * BEIR retrieval evaluation from the command line.
 *   npx tsx electron/services/retrieval/retrievalEvalMain.ts --dataset DIR --mode bm25|dense|hybrid-linear|hybrid-rrf|rerank[,mode...]
 *     [--embedder use-lite|hashing|transformers:MODEL_DIR] [--reranker MODEL_DIR] [--k 10] [--alpha 0.5]
 *     [--max-queries N] [--chunk-tokens 256] [--json]
 * Several comma-separated modes share one ingest. Default embedder: use-lite for dense/hybrid/rerank
 * modes; bm25-only runs use the hashing test double (vectors unused, ingest is fast).
 * With --json the last stdout line is the report as one JSON object.
 */
import { parseArgs } from 'node:util';
import { CrossEncoderReranker, TransformersEmbedder, UseLiteEmbedder } from '../embeddings/index.js';
import type { Embedder, Reranker } from './EmbedderContract.js';
import { RETRIEVAL_MODES, type RetrievalMode } from './HybridRetriever.js';
import { runRetrievalEval } from './runRetrievalEval.js';
import { HashingEmbedder } from './testing/HashingEmbedder.js';

const { values } = parseArgs({
  options: {
    dataset: { type: 'string' },
    mode: { type: 'string', default: 'hybrid-rrf' },
    embedder: { type: 'string' },
    reranker: { type: 'string' },
    k: { type: 'string', default: '10' },
    alpha: { type: 'string' },
    'max-queries': { type: 'string' },
    'chunk-tokens': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
if (!values.dataset) {
  process.stderr.write('usage: retrievalEvalMain.ts --dataset DIR --mode bm25|dense|hybrid-linear|hybrid-rrf|rerank [--json]\n');
  process.exit(2);
}
const modes = values.mode.split(',').map((m) => m.trim()) as RetrievalMode[];
for (const m of modes) {
  if (!RETRIEVAL_MODES.includes(m)) {
    process.stderr.write(`unknown mode ${m}; expected one of ${RETRIEVAL_MODES.join(', ')}\n`);
    process.exit(2);
  }
}
const embedderName = values.embedder ?? (modes.every((m) => m === 'bm25') ? 'hashing' : 'use-lite');
let embedder: Embedder;
if (embedderName === 'hashing') embedder = new HashingEmbedder(64);
else if (embedderName === 'use-lite') embedder = await UseLiteEmbedder.create({ batchSize: 32 });
else if (embedderName.startsWith('transformers:')) embedder = await TransformersEmbedder.create({ modelDir: embedderName.slice('transformers:'.length) });
else {
  process.stderr.write(`unknown embedder ${embedderName}\n`);
  process.exit(2);
}
let reranker: Reranker | undefined;
if (values.reranker) reranker = await CrossEncoderReranker.create({ modelDir: values.reranker });
try {
  const report = await runRetrievalEval({
    datasetDir: values.dataset,
    mode: modes,
    embedder,
    reranker,
    k: Number(values.k),
    alpha: values.alpha === undefined ? undefined : Number(values.alpha),
    maxQueries: values['max-queries'] === undefined ? undefined : Number(values['max-queries']),
    chunkTokens: values['chunk-tokens'] === undefined ? undefined : Number(values['chunk-tokens']),
    onProgress: (m) => process.stderr.write(`${m}\n`),
  });
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    process.stdout.write(`dataset ${report.dataset}  embedder ${report.embedderId}  docs ${report.docs}  chunks ${report.chunks}  ingest ${(report.ingestMs / 1000).toFixed(1)} s\n`);
    for (const r of report.results) {
      process.stdout.write(
        `${r.mode.padEnd(14)} nDCG@${r.k} ${r.ndcgAtK.toFixed(4)}  R@${r.k} ${r.recallAtK.toFixed(4)}  R@100 ${r.recallAt100.toFixed(4)}  MRR@${r.k} ${r.mrrAtK.toFixed(4)}  p50 ${r.latencyMs.p50.toFixed(1)} ms  p95 ${r.latencyMs.p95.toFixed(1)} ms  (${r.queries} queries)\n`,
      );
    }
  }
} finally {
  await reranker?.dispose();
  await embedder.dispose();
}
