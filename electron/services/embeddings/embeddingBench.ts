/**
 * `npm run bench:embeddings [-- --texts 256 --runs 5 --batch 32 --threads 1 --use-texts 32 --no-use-lite]`
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

async function main(): Promise<void> {
  await generateOnnxFixtures({ log: () => {} });
  const texts = makeTexts(N_TEXTS);
  const embedder = await TransformersEmbedder.create({ modelDir: fixturePaths.onnxEmbedderDir, batchSize: BATCH, threads: THREADS });

  // Baseline: same model, same batches, tokenised once up front (untimed) with the model's own tokenizer.
  const { AutoTokenizer } = await import('@huggingface/transformers');
  const tokenizer = await AutoTokenizer.from_pretrained(fixturePaths.onnxEmbedderDir, { local_files_only: true });
  const session = await ort.InferenceSession.create(path.join(fixturePaths.onnxEmbedderDir, 'onnx', 'model.onnx'), {
    intraOpNumThreads: THREADS,
    interOpNumThreads: 1,
  });
  const batches: { feeds: Record<string, ort.Tensor>; mask: BigInt64Array; rows: number; width: number }[] = [];
  for (let s = 0; s < texts.length; s += BATCH) {
    const enc = tokenizer(texts.slice(s, s + BATCH), { padding: true, truncation: true });
    const [rows, width] = enc.input_ids.dims as [number, number];
    const mask = enc.attention_mask.data as BigInt64Array;
    batches.push({
      rows,
      width,
      mask,
      feeds: {
        input_ids: new ort.Tensor('int64', enc.input_ids.data as BigInt64Array, [rows, width]),
        attention_mask: new ort.Tensor('int64', mask, [rows, width]),
        token_type_ids: new ort.Tensor('int64', enc.token_type_ids!.data as BigInt64Array, [rows, width]),
      },
    });
  }
  const H = embedder.dimensions;
  const runOrt = async (): Promise<Float32Array[]> => {
    const out: Float32Array[] = [];
    for (const b of batches) {
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
    }
    return out;
  };

  const viaTransformers = await embedder.embed(texts);
  const viaOrt = await runOrt();
  let maxAbsDiff = 0;
  viaOrt.forEach((v, i) => v.forEach((x, k) => (maxAbsDiff = Math.max(maxAbsDiff, Math.abs(x - viaTransformers[i]![k]!)))));

  const tf = await throughput(() => embedder.embed(texts));
  const raw = await throughput(runOrt);
  console.log(`transformers.js TransformersEmbedder: ${tf.textsPerSec.toFixed(1)} texts/s (runs ms ${tf.runsMs.join(', ')})`);
  console.log(`onnxruntime-node direct loop:        ${raw.textsPerSec.toFixed(1)} texts/s (runs ms ${raw.runsMs.join(', ')})`);
  console.log(`ratio transformers/direct: ${(tf.textsPerSec / raw.textsPerSec).toFixed(3)}; max |Δ| between the two paths: ${maxAbsDiff.toExponential(2)}`);
  await embedder.dispose();
  await session.release();

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
      model: 'tiny-embedder (fixture, hidden 32, 1 layer)',
      texts: N_TEXTS,
      batchSize: BATCH,
      runs: RUNS,
      threads: THREADS,
      transformersTextsPerSec: Math.round(tf.textsPerSec * 10) / 10,
      ortDirectTextsPerSec: Math.round(raw.textsPerSec * 10) / 10,
      ratioTransformersToDirect: Math.round((tf.textsPerSec / raw.textsPerSec) * 1000) / 1000,
      maxAbsDiff,
      useLiteTextsPerSec,
      useLiteTexts: WITH_USE ? USE_TEXTS : 0,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
