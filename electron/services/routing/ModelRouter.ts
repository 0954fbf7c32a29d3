import type { ChatMessage } from '../../../shared/schemas/generation.js';
import { estimateTokens } from '../llm/index.js';
import { estimateComplexity, type ComplexityEstimate } from './estimateComplexity.js';
import { NoEligibleModelError } from './NoEligibleModelError.js';
import type { Pricer } from './Pricer.js';

export interface RouterCandidate {
  model: string;
  contextSize: number;
  /** Configured quality in [0, 1], used when the eval results have nothing for this model. */
  quality?: number;
  /** Token counter in this model's tokenizer. Default `estimateTokens(text, model)` (real BPE, cl100k/o200k). */
  countTokens?: (text: string) => number;
}

export interface ModelRouterOptions {
  candidates: readonly RouterCandidate[];
  /** Prices the worst case (prompt + maxTokens). Unpriced models rank after every priced one. */
  pricer?: Pricer;
  /** Quality from the eval workbench (e.g. mean score on the user's suite), in [0, 1]; null when never evaluated. */
  qualityOf?: (model: string) => number | null;
  /**
   * The quality a prompt of complexity c needs. Default `0.5 + 0.4·c` (a trivial prompt accepts a 0.5 model, the
   * hardest asks 0.9). A request's `minQuality` overrides it.
   */
  requiredQuality?: (complexity: number) => number;
}

export interface RouteRequest {
  prompt?: string;
  messages?: readonly ChatMessage[];
  maxTokens: number;
  /** The JSON schema the output must follow, if any (its depth raises complexity). */
  schema?: unknown;
  /** Overrides the complexity-derived bar. */
  minQuality?: number;
}

export interface CandidateAssessment {
  model: string;
  contextSize: number;
  promptTokens: number;
  fits: boolean;
  quality: number | null;
  qualitySource: 'eval' | 'configured' | 'none';
  /** Worst-case micro-dollars (prompt + maxTokens); null when unpriced. */
  costMicros: number | null;
  adequate: boolean;
  /** Why it was not chosen, when it was not. */
  note: string;
}

export interface RouteDecision {
  model: string;
  reason: string;
  /** False when no fitting model reached the bar and the best-quality fitting one was taken instead. */
  meetsBar: boolean;
  requiredQuality: number;
  complexity: ComplexityEstimate;
  candidates: CandidateAssessment[];
}

/**
 * Adaptive model selection: the cheapest model whose quality meets the bar the prompt's complexity asks for, among
 * the models whose context window holds prompt + maxTokens (never one that does not: such a request would be
 * truncated or refused). Quality comes from eval results when present, else the configured score; a model with
 * neither is never "adequate". When nothing fitting meets the bar, the best-quality fitting model is chosen and the
 * decision says so (`meetsBar: false`) — answering with the best available beats refusing; callers that prefer to
 * refuse can check `meetsBar`. Ties on cost go to the higher quality, then the name, so decisions are stable.
 */
export class ModelRouter {
  private readonly required: (c: number) => number;

  constructor(private readonly options: ModelRouterOptions) {
    this.required = options.requiredQuality ?? ((c) => 0.5 + 0.4 * c);
  }

  route(request: RouteRequest): RouteDecision {
    const text = request.messages !== undefined ? request.messages.map((m) => m.content).join('\n') : (request.prompt ?? '');
    const assessments: CandidateAssessment[] = this.options.candidates.map((c) => {
      const promptTokens = c.countTokens ? c.countTokens(text) : estimateTokens(text, c.model);
      const evalQuality = this.options.qualityOf?.(c.model) ?? null;
      const quality = evalQuality ?? c.quality ?? null;
      return {
        model: c.model,
        contextSize: c.contextSize,
        promptTokens,
        fits: promptTokens + request.maxTokens <= c.contextSize,
        quality,
        qualitySource: evalQuality !== null ? 'eval' : c.quality !== undefined ? 'configured' : 'none',
        costMicros: this.options.pricer?.costMicros(c.model, promptTokens, request.maxTokens, 0) ?? null,
        adequate: false,
        note: '',
      };
    });
    const fitting = assessments.filter((a) => a.fits);
    if (fitting.length === 0) {
      const needed = Math.min(...assessments.map((a) => a.promptTokens)) + request.maxTokens;
      throw new NoEligibleModelError(Number.isFinite(needed) ? needed : request.maxTokens, Math.max(0, ...assessments.map((a) => a.contextSize)));
    }
    // complexity is measured with the tokens of the first fitting candidate (tokenizers differ by a few percent)
    const complexity = estimateComplexity(text, fitting[0]!.promptTokens, request.schema);
    const requiredQuality = request.minQuality ?? this.required(complexity.score);
    for (const a of assessments) a.adequate = a.fits && a.quality !== null && a.quality >= requiredQuality;

    const adequate = assessments.filter((a) => a.adequate).sort(byCostThenQuality);
    const chosen = adequate[0] ?? [...fitting].sort((x, y) => (y.quality ?? -1) - (x.quality ?? -1) || byCostThenQuality(x, y))[0]!;
    const meetsBar = adequate.length > 0;
    for (const a of assessments) {
      if (a === chosen) a.note = 'chosen';
      else if (!a.fits) a.note = `context ${a.contextSize} < ${a.promptTokens} prompt + ${request.maxTokens} max tokens`;
      else if (a.quality === null) a.note = 'no eval result and no configured quality';
      else if (!a.adequate) a.note = `quality ${a.quality.toFixed(2)} < required ${requiredQuality.toFixed(2)}`;
      else a.note = `adequate but costs more (${fmtCost(a.costMicros)} vs ${fmtCost(chosen.costMicros)})`;
    }
    const reason = meetsBar
      ? `${chosen.model} is the cheapest of ${adequate.length} model(s) meeting quality ${requiredQuality.toFixed(2)} (complexity ${complexity.score.toFixed(2)}); ` +
        `its ${chosen.qualitySource} quality is ${chosen.quality!.toFixed(2)} at ${fmtCost(chosen.costMicros)} worst case`
      : `no fitting model meets quality ${requiredQuality.toFixed(2)} (complexity ${complexity.score.toFixed(2)}); ` +
        `${chosen.model} has the best quality available (${chosen.quality === null ? 'unknown' : chosen.quality.toFixed(2)})`;
    return { model: chosen.model, reason, meetsBar, requiredQuality, complexity, candidates: assessments };
  }
}

function byCostThenQuality(x: CandidateAssessment, y: CandidateAssessment): number {
  const cx = x.costMicros ?? Number.POSITIVE_INFINITY;
  const cy = y.costMicros ?? Number.POSITIVE_INFINITY;
  if (cx !== cy) return cx < cy ? -1 : 1;
  return (y.quality ?? -1) - (x.quality ?? -1) || x.model.localeCompare(y.model);
}

function fmtCost(micros: number | null): string {
  return micros === null ? 'unpriced' : `$${(micros / 1e6).toFixed(6)}`;
}
