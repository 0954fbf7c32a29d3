import { parseArgs } from 'node:util';
import { AppError } from '../../../shared/errors.js';
import { formatSchemaBenchReport, runSchemaBench } from '../../services/constrain/index.js';
import { CrossEncoderReranker, TransformersEmbedder, UseLiteEmbedder } from '../../services/embeddings/index.js';
import { LEDGER_USAGE, runLedgerCommand } from '../../services/ledger/index.js';
import { HashingEmbedder, RETRIEVAL_MODES, runRetrievalEval, type RetrievalMode } from '../../services/retrieval/index.js';
import type { CliCommand } from '../CliCommand.js';

export const ledgerCommand: CliCommand = {
  path: ['ledger'],
  usage: 'ledger prices|cost|report|expensive|anomalies|compare-local-cloud|budget|alerts|export ... [--json]',
  summary: 'The cost ledger: prices, exact costs, reports, budgets and exports.',
  async run(io) {
    const argv = io.argv.filter((a) => a !== '--json');
    if (argv.length === 0) {
      io.out(LEDGER_USAGE);
      return 1;
    }
    return runLedgerCommand(argv, { dataDir: io.dataDir, json: io.json, out: (s) => io.out(s.replace(/\n$/, '')) });
  },
};

export const schemaBenchCommand: CliCommand = {
  path: ['schema-bench'],
  usage: 'schema-bench <files|dirs> [--engine hearth|node-llama-cpp] [--timeout MS] [--reserialize] [--json]',
  summary: 'JSON-Schema grammar conformance on MaskBench files, checked by llama.cpp\'s grammar engine.',
  async run(io) {
    const { values, positionals } = parseArgs({
      args: io.argv,
      allowPositionals: true,
      options: { engine: { type: 'string', default: 'hearth' }, timeout: { type: 'string' }, reserialize: { type: 'boolean' }, json: { type: 'boolean' } },
    });
    if (positionals.length === 0) throw new AppError('INVALID_INPUT', 'Give MaskBench files or folders, e.g. schema-bench ../shared/data/jsonschemabench');
    if (values.engine !== 'hearth' && values.engine !== 'node-llama-cpp') throw new AppError('INVALID_INPUT', '--engine must be hearth or node-llama-cpp.');
    const report = await runSchemaBench({
      paths: positionals,
      engine: values.engine,
      ...(values.timeout === undefined ? {} : { timeoutMs: Number(values.timeout) }),
      keepOutcomes: io.json,
      // instances keep their source number lexemes (draft-4's 12345.0 is not 12345); --reserialize uses JSON.stringify
      numberLexemes: values.reserialize === true ? 'js' : 'source',
    });
    io.out(io.json ? JSON.stringify(report) : formatSchemaBenchReport(report));
    return 0;
  },
};

export const retrievalEvalCommand: CliCommand = {
  path: ['retrieval-eval'],
  usage: 'retrieval-eval --dataset DIR --mode bm25|dense|hybrid-linear|hybrid-rrf|rerank[,…] [--embedder use-lite|transformers:DIR] [--reranker DIR] [--k 10] [--alpha A] [--max-queries N] [--json]',
  summary: 'nDCG@10, Recall@10/100, MRR@10 and query latency on a BEIR-layout dataset, ingested into a fresh store.',
  async run(io) {
    const { values } = parseArgs({
      args: io.argv,
      options: {
        dataset: { type: 'string' },
        mode: { type: 'string', default: 'hybrid-rrf' },
        embedder: { type: 'string' },
        reranker: { type: 'string' },
        k: { type: 'string', default: '10' },
        alpha: { type: 'string' },
        'max-queries': { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (values.dataset === undefined) throw new AppError('INVALID_INPUT', 'Give the BEIR folder with --dataset DIR (corpus.jsonl, queries.jsonl, qrels/test.tsv).');
    const modes = values.mode.split(',').map((m) => m.trim());
    const unknown = modes.filter((m) => !(RETRIEVAL_MODES as readonly string[]).includes(m));
    if (unknown.length > 0) throw new AppError('INVALID_INPUT', `Unknown mode ${unknown.join(', ')}; expected ${RETRIEVAL_MODES.join(', ')}.`);
    const name = values.embedder ?? (modes.every((m) => m === 'bm25') ? 'bm25-only' : 'use-lite');
    // bm25-only runs never read vectors: a cheap hashing embedder keeps their ingest fast
    const embedder =
      name === 'bm25-only'
        ? new HashingEmbedder(64)
        : name === 'use-lite'
          ? await UseLiteEmbedder.create({ batchSize: 32 })
          : name.startsWith('transformers:')
            ? await TransformersEmbedder.create({ modelDir: name.slice('transformers:'.length) })
            : null;
    if (embedder === null) throw new AppError('INVALID_INPUT', `Unknown embedder ${name}; use use-lite or transformers:<model dir>.`);
    const reranker = values.reranker === undefined ? undefined : await CrossEncoderReranker.create({ modelDir: values.reranker });
    try {
      const report = await runRetrievalEval({
        datasetDir: values.dataset,
        mode: modes as RetrievalMode[],
        embedder,
        ...(reranker === undefined ? {} : { reranker }),
        k: Number(values.k),
        ...(values.alpha === undefined ? {} : { alpha: Number(values.alpha) }),
        ...(values['max-queries'] === undefined ? {} : { maxQueries: Number(values['max-queries']) }),
        onProgress: (m) => io.err(m),
      });
      if (io.json) io.out(JSON.stringify(report));
      else {
        io.out(`dataset ${report.dataset}  embedder ${report.embedderId}  docs ${report.docs}  chunks ${report.chunks}  ingest ${(report.ingestMs / 1000).toFixed(1)} s`);
        for (const r of report.results) {
          io.out(
            `${r.mode.padEnd(14)} nDCG@${r.k} ${r.ndcgAtK.toFixed(4)}  R@${r.k} ${r.recallAtK.toFixed(4)}  R@100 ${r.recallAt100.toFixed(4)}  MRR@${r.k} ${r.mrrAtK.toFixed(4)}  p50 ${r.latencyMs.p50.toFixed(1)} ms  p95 ${r.latencyMs.p95.toFixed(1)} ms`,
          );
        }
      }
      return 0;
    } finally {
      await embedder.dispose();
      await reranker?.dispose();
    }
  },
};
