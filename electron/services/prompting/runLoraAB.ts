import fs from 'node:fs/promises';
import { LlamaCompletion, type LlamaContext, type LlamaModel, type Token } from 'node-llama-cpp';
import type { ABResult } from '../eval/index.js';
import { getLlamaRuntime, inspectGguf, ModelLoadError, physicalCoreCount } from '../llm/index.js';
import { LoraAdapterLoadError } from './LoraAdapterLoadError.js';

export interface LoraABCase {
  id?: string;
  /** Raw completion prompt (no chat template). */
  prompt: string;
  /** Continuation whose log-probability is the case's score (teacher-forced). */
  reference: string;
}

export interface LoraABOptions {
  modelPath: string;
  adapterPath: string;
  /** LoRA scale (llama.cpp multiplies it with alpha / rank). Default 1; 0 reproduces the base model. */
  scale?: number;
  cases: readonly LoraABCase[];
  /** Greedy tokens generated per side, to show what the model actually says. Default 8. */
  greedyTokens?: number;
  /** Reference tokens scored (each costs one full-vocabulary softmax, ~0.3 s on 151k vocab). Default 4. */
  maxReferenceTokens?: number;
  /** Always explicit (node-llama-cpp's default of 4 ran ~100× slower on 2 cores). Default: physical cores. */
  threads?: number;
  /** Default 512. */
  contextSize?: number;
  /** Bootstrap seed for analyzeAB. Default 0. */
  seed?: number;
}

export interface LoraSideResult {
  greedyText: string;
  greedyTokens: number[];
  /** Mean natural-log probability of the reference tokens given the prompt (higher = more likely). */
  referenceLogProb: number;
  /** Most likely first token and its probability. */
  top1: { token: number; text: string; probability: number };
}

export interface LoraCaseResult {
  id: string;
  base: LoraSideResult;
  adapter: LoraSideResult;
  /** Index of the first greedy token that differs; null when the greedy continuations are identical. */
  firstDivergence: number | null;
  /** Total variation distance between base and adapter next-token distributions after the prompt, in [0, 1]. */
  totalVariation: number;
}

export interface LoraABResult {
  cases: LoraCaseResult[];
  /** Share of cases whose greedy continuation changed. */
  greedyChangedRate: number;
  meanTotalVariation: number;
  /** Paired numeric A/B of per-case reference log-probability: A = base, B = adapter. */
  ab: ABResult;
  loadMs: number;
}

/** Exact softmax (temperature 1, no top-k/top-p/min-p truncation). */
const FULL_DISTRIBUTION = { temperature: 1, topK: 0, topP: 1, minP: 0 } as const;

/**
 * Load a base GGUF once with two contexts — plain and with a LoRA adapter (`createContext({lora})`) — and
 * compare them on `cases`: greedy continuations, the next-token distribution after the prompt (total
 * variation distance), and the teacher-forced log-probability of each case's reference continuation, which
 * is the per-case score of a paired A/B (`analyzeAB`: paired t, Wilcoxon, bootstrap CI).
 * Loads outside ModelManager on purpose (it holds one provider without adapters) and disposes everything
 * before returning. Trade-off: scoring uses full 151k-way distributions, exact but ~0.3 s per token.
 * @throws ModelLoadError (base) | LoraAdapterLoadError (adapter rejected by llama.cpp)
 */
export async function runLoraAB(options: LoraABOptions): Promise<LoraABResult> {
  if (options.cases.length === 0) throw new RangeError('runLoraAB: no cases');
  const started = performance.now();
  await inspectGguf(options.modelPath);
  await fs.access(options.adapterPath).catch((e: unknown) => {
    throw new LoraAdapterLoadError(options.adapterPath, options.modelPath, 'file not found', e);
  });
  const llama = await getLlamaRuntime({ gpu: false });
  const threads = options.threads ?? physicalCoreCount();
  const contextSize = options.contextSize ?? 512;
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: options.modelPath, gpuLayers: 0 });
  } catch (e) {
    throw new ModelLoadError(options.modelPath, (e as Error).message, e);
  }
  const contexts: LlamaContext[] = [];
  try {
    contexts.push(await model.createContext({ contextSize, threads, sequences: 1 }));
    try {
      contexts.push(
        await model.createContext({
          contextSize,
          threads,
          sequences: 1,
          lora: { adapters: [{ filePath: options.adapterPath, scale: options.scale ?? 1 }] },
        }),
      );
    } catch (e) {
      throw new LoraAdapterLoadError(options.adapterPath, options.modelPath, (e as Error).message, e);
    }
    const loadMs = performance.now() - started;
    const [baseCtx, adapterCtx] = contexts as [LlamaContext, LlamaContext];
    const cases: LoraCaseResult[] = [];
    for (const [i, c] of options.cases.entries()) {
      const base = await scoreSide(model, baseCtx, c, options);
      const adapter = await scoreSide(model, adapterCtx, c, options);
      let tv = 0;
      for (const token of new Set([...base.first.keys(), ...adapter.first.keys()])) tv += Math.abs((base.first.get(token) ?? 0) - (adapter.first.get(token) ?? 0));
      const n = Math.max(base.side.greedyTokens.length, adapter.side.greedyTokens.length);
      let firstDivergence: number | null = null;
      for (let k = 0; k < n; k++) {
        if (base.side.greedyTokens[k] !== adapter.side.greedyTokens[k]) {
          firstDivergence = k;
          break;
        }
      }
      cases.push({ id: c.id ?? `case-${i}`, base: base.side, adapter: adapter.side, firstDivergence, totalVariation: Math.min(1, tv / 2) });
    }
    // Loaded lazily: the eval service imports this service (PromptTemplate), so a static import would make a
    // module-evaluation cycle prompting → eval → prompting.
    const { analyzeAB } = await import('../eval/index.js');
    const ab = analyzeAB({
      a: cases.map((c) => c.base.referenceLogProb),
      b: cases.map((c) => c.adapter.referenceLogProb),
      paired: true,
      seed: options.seed ?? 0,
      labels: { a: 'base', b: 'LoRA' },
      caseIds: cases.map((c) => c.id),
      resamples: 2000,
    });
    return {
      cases,
      greedyChangedRate: cases.filter((c) => c.firstDivergence !== null).length / cases.length,
      meanTotalVariation: cases.reduce((s, c) => s + c.totalVariation, 0) / cases.length,
      ab,
      loadMs,
    };
  } finally {
    for (const ctx of contexts) await ctx.dispose();
    await model.dispose();
  }
}

async function scoreSide(
  model: LlamaModel,
  context: LlamaContext,
  c: LoraABCase,
  options: LoraABOptions,
): Promise<{ side: LoraSideResult; first: Map<Token, number> }> {
  const sequence = context.getSequence();
  try {
    const promptTokens = model.tokenize(c.prompt);
    const reference = model.tokenize(c.reference).slice(0, options.maxReferenceTokens ?? 4);
    if (promptTokens.length === 0 || reference.length === 0) throw new RangeError('runLoraAB: prompt and reference must tokenize to at least one token');
    // teacher forcing: the distribution after prompt[-1] predicts reference[0], after reference[k] predicts reference[k+1]
    const input = [...promptTokens, ...reference.slice(0, -1)];
    const firstScored = promptTokens.length - 1;
    const outputs = await sequence.controlledEvaluate(
      input.map((t, i) => (i >= firstScored ? ([t, { generateNext: { probabilities: true, options: FULL_DISTRIBUTION } }] as const) : t)) as Parameters<
        typeof sequence.controlledEvaluate
      >[0],
    );
    let logProb = 0;
    let first: Map<Token, number> | undefined;
    for (let k = 0; k < reference.length; k++) {
      const probs = outputs[firstScored + k]?.next?.probabilities;
      if (probs === undefined) throw new Error(`runLoraAB: no probabilities at position ${firstScored + k}`);
      if (k === 0) first = probs;
      logProb += Math.log(Math.max(probs.get(reference[k]!) ?? 0, 1e-30));
    }
    const [topToken, topP] = first!.entries().next().value as [Token, number];
    await sequence.clearHistory();
    const greedyTokens: number[] = [];
    const completion = new LlamaCompletion({ contextSequence: sequence });
    let greedyText: string;
    try {
      greedyText = await completion.generateCompletion(c.prompt, {
        maxTokens: options.greedyTokens ?? 8,
        temperature: 0,
        onToken: (tokens) => greedyTokens.push(...tokens),
      });
    } finally {
      completion.dispose({ disposeSequence: false });
    }
    return {
      side: {
        greedyText,
        greedyTokens,
        referenceLogProb: logProb / reference.length,
        top1: { token: topToken, text: model.detokenize([topToken]), probability: topP },
      },
      first: first!,
    };
  } finally {
    sequence.dispose();
  }
}
