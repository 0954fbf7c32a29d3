/**
 * `npm run bench:embeddings [-- --texts 256 --runs 5 --batch 32 --threads 1 --use-texts 32 --no-use-lite --models tiny,minilm-shape]`
 *
 * Embedding throughput (texts/s, median of N timed runs after one warm-up) of the tiny ONNX fixture
 * through `TransformersEmbedder` (transformers.js: tokenise + pad + run + mean-pool + normalise) vs the
 * same model.onnx run directly through onnxruntime-node in a plain loop over pre-tokenised batches
 * (padding per batch in input order, mean pooling and normalisation in plain JS). On a model this small
 * the gap is almost all WordPiece tokenisation in JS (≈170–260 ms of the ≈250–430 ms per 256 texts
 * measured here, load average ~20 on 2 cores), which the baseline does once, untimed; on a real
 * MiniLM-class model the forward pass dominates and the ratio moves towards 1. Our embedder batches
 * longest-first, the baseline in input order; the outputs agree to ~6e-8 (printed as max |Δ|).
 * Also times USE-Lite (the default embedder) on the first --use-texts (default 32) texts unless --no-use-lite.
 * Last line: one JSON object with the figures.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { generateOnnxFixtures } from '../../../models/fixtures/onnx/generateOnnxFixtures.js';
import { writeOnnxFixture } from '../../../models/fixtures/onnx/writeOnnxFixture.js';
import { l2Normalize } from './l2Normalize.js';
import { TransformersEmbedder } from './TransformersEmbedder.js';
import { UseLiteEmbedder } from './UseLiteEmbedder.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`--${name} must be a positive integer`);
  return v;
}
const N_TEXTS = arg('texts', 256);
const RUNS = arg('runs', 5);
const BATCH = arg('batch', 32);
const THREADS = arg('threads', 1);
const WITH_USE = !process.argv.includes('--no-use-lite');
/** `--models tiny,minilm-shape` (default both). */
const MODELS = (process.argv.includes('--models') ? process.argv[process.argv.indexOf('--models') + 1]! : 'tiny,minilm-shape').split(',');
/** USE-Lite (tfjs-wasm) runs at roughly 10–20 texts/s here, so it is timed on a prefix of the texts. */
const USE_TEXTS = Math.min(arg('use-texts', 32), N_TEXTS);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Deterministic mixed-length English-ish sentences (5–60 words). */
function makeTexts(n: number): string[] {
  const words = 'the invoice total amount is due in april for the quarterly tax report of our private local project budget meeting with data files and email'.split(' ');
  let seed = 12345;
  const rnd = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, () => {
    const len = 5 + Math.floor(rnd() * 56);
    return Array.from({ length: len }, () => words[Math.floor(rnd() * words.length)]!).join(' ') + '.';
  });
}

/** Times `fn` once to warm up, then RUNS times; returns median texts/s. */
async function throughput(fn: () => Promise<unknown>, n = N_TEXTS): Promise<{ textsPerSec: number; runsMs: number[] }> {
  await fn();
  const runsMs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    await fn();
    runsMs.push(performance.now() - t0);
  }
  return { textsPerSec: n / (median(runsMs) / 1000), runsMs: runsMs.map((x) => Math.round(x * 10) / 10) };
}

interface ModelFigures {
  model: string;
  transformersTextsPerSec: number;
  ortDirectTextsPerSec: number;
  ortTokenizingTextsPerSec: number;
  /** ours / direct loop over pre-tokenised batches (the strict baseline: tokenisation is free for it). */
  ratioTransformersToDirect: number;
  /** ours / direct loop that also tokenises each batch (what a plain script would do end to end). */
  ratioTransformersToTokenizingLoop: number;
  maxAbsDiff: number;
}

/** Our embedder vs the same model.onnx through onnxruntime-node in a plain loop, in this process. */
async function benchModel(label: string, modelDir: string, texts: string[]): Promise<ModelFigures> {
  const embedder = await TransformersEmbedder.create({ modelDir, batchSize: BATCH, threads: THREADS });
  const { AutoTokenizer } = await import('@huggingface/transformers');
  const tokenizer = await AutoTokenizer.from_pretrained(modelDir, { local_files_only: true });
  const session = await ort.InferenceSession.create(path.join(modelDir, 'onnx', 'model.onnx'), {
    intraOpNumThreads: THREADS,
    interOpNumThreads: 1,
  });
  type Batch = { feeds: Record<string, ort.Tensor>; mask: BigInt64Array; rows: number; width: number };
  const tokenize = (slice: string[]): Batch => {
    const enc = tokenizer(slice, { padding: true, truncation: true });
    const [rows, width] = enc.input_ids.dims as [number, number];
    const mask = enc.attention_mask.data as BigInt64Array;
    return {
      rows,
      width,
      mask,
      feeds: {
        input_ids: new ort.Tensor('int64', enc.input_ids.data as BigInt64Array, [rows, width]),
        attention_mask: new ort.Tensor('int64', mask, [rows, width]),
        token_type_ids: new ort.Tensor('int64', enc.token_type_ids!.data as BigInt64Array, [rows, width]),
      },
    };
  };
  const slices: string[][] = [];
  for (let s = 0; s < texts.length; s += BATCH) slices.push(texts.slice(s, s + BATCH));
  const pretokenised = slices.map(tokenize);
  const H = embedder.dimensions;
  const runBatch = async (b: Batch, out: Float32Array[]): Promise<void> => {
    const hidden = (await session.run(b.feeds)).last_hidden_state!.data as Float32Array;
    for (let r = 0; r < b.rows; r++) {
      const pooled = new Float64Array(H);
      let count = 0;
      for (let t = 0; t < b.width; t++) {
        if (b.mask[r * b.width + t] === 0n) continue;
        count++;
        const base = (r * b.width + t) * H;
        for (let k = 0; k < H; k++) pooled[k]! += hidden[base + k]!;
      }
      out.push(l2Normalize(pooled.map((x) => x / count)));
    }
  };
  const runOrt = async (): Promise<Float32Array[]> => {
    const out: Float32Array[] = [];
    for (const b of pretokenised) await runBatch(b, out);
    return out;
  };
  const runOrtTokenizing = async (): Promise<Float32Array[]> => {
    const out: Float32Array[] = [];
    for (const slice of slices) await runBatch(tokenize(slice), out);
    return out;
  };

  const viaTransformers = await embedder.embed(texts);
  const viaOrt = await runOrt();
  let maxAbsDiff = 0;
  viaOrt.forEach((v, i) => v.forEach((x, k) => (maxAbsDiff = Math.max(maxAbsDiff, Math.abs(x - viaTransformers[i]![k]!)))));

  // Interleave the three so a load spike on this shared machine hits all of them alike.
  const tf = await throughput(() => embedder.embed(texts));
  const raw = await throughput(runOrt);
  const rawTok = await throughput(runOrtTokenizing);
  console.log(`[${label}] transformers.js TransformersEmbedder: ${tf.textsPerSec.toFixed(1)} texts/s (runs ms ${tf.runsMs.join(', ')})`);
  console.log(`[${label}] onnxruntime-node loop, pre-tokenised: ${raw.textsPerSec.toFixed(1)} texts/s (runs ms ${raw.runsMs.join(', ')})`);
  console.log(`[${label}] onnxruntime-node loop, tokenising:    ${rawTok.textsPerSec.toFixed(1)} texts/s (runs ms ${rawTok.runsMs.join(', ')})`);
  console.log(
    `[${label}] ratio ours/direct: ${(tf.textsPerSec / raw.textsPerSec).toFixed(3)} (pre-tokenised), ${(tf.textsPerSec / rawTok.textsPerSec).toFixed(3)} (tokenising); max |Δ| ${maxAbsDiff.toExponential(2)}`,
  );
  await embedder.dispose();
  await session.release();
  const r1 = (x: number) => Math.round(x * 10) / 10;
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    model: label,
    transformersTextsPerSec: r1(tf.textsPerSec),
    ortDirectTextsPerSec: r1(raw.textsPerSec),
    ortTokenizingTextsPerSec: r1(rawTok.textsPerSec),
    ratioTransformersToDirect: r3(tf.textsPerSec / raw.textsPerSec),
    ratioTransformersToTokenizingLoop: r3(tf.textsPerSec / rawTok.textsPerSec),
    maxAbsDiff,
  };
}

async function main(): Promise<void> {
  await generateOnnxFixtures({ log: () => {} });
  const texts = makeTexts(N_TEXTS);
  const results: ModelFigures[] = [];
  if (MODELS.includes('tiny')) results.push(await benchModel('tiny-embedder (hidden 32, 1 layer)', fixturePaths.onnxEmbedderDir, texts));
  if (MODELS.includes('minilm-shape')) {
    await writeOnnxFixture('embedder-minilm-shape', fixturePaths.onnxMiniLmShapeDir);
    results.push(await benchModel('minilm-shape (all-MiniLM-L6-v2 sizes: 6 layers, hidden 384)', fixturePaths.onnxMiniLmShapeDir, texts));
  }

  let useLiteTextsPerSec: number | null = null;
  if (WITH_USE) {
    const use = await UseLiteEmbedder.create({ batchSize: BATCH });
    const subset = texts.slice(0, USE_TEXTS);
    const u = await throughput(() => use.embed(subset), USE_TEXTS);
    useLiteTextsPerSec = Math.round(u.textsPerSec * 10) / 10;
    console.log(`USE-Lite (default embedder, ${USE_TEXTS} texts): ${u.textsPerSec.toFixed(1)} texts/s (runs ms ${u.runsMs.join(', ')})`);
    await use.dispose();
  }

  console.log(
    JSON.stringify({
      bench: 'embeddings',
      texts: N_TEXTS,
      batchSize: BATCH,
      runs: RUNS,
      threads: THREADS,
      models: results,
      useLiteTextsPerSec,
      useLiteTexts: WITH_USE ? USE_TEXTS : 0,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
