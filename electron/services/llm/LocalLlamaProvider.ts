import os from 'node:os';
import {
  LlamaCompletion,
  LlamaGrammarEvaluationState,
  LlamaText,
  resolveChatWrapper,
  type ChatHistoryItem,
  type ChatWrapper,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaGrammar,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import type { GenerateResult } from '../../../shared/schemas/generation.js';
import type { GgufSummary } from '../../../shared/schemas/models.js';
import { AppError } from '../../../shared/errors.js';
import { GrammarInvalidError, ModelLoadError, ModelTooLargeError } from './errors.js';
import { GrammarFastForward } from './GrammarFastForward.js';
import { inspectGgufDetailed } from './inspectGguf.js';
import { getLlamaRuntime } from './LlamaRuntime.js';
import type { GenerateRequest, LlmProvider } from './LlmProvider.js';
import { physicalCoreCount } from './physicalCoreCount.js';

export interface LocalLlamaProviderOptions {
  modelPath: string;
  /** Tokens of context. Default: min(model's training context, 4096) — larger contexts cost RAM linearly. */
  contextSize?: number;
  /** 'auto' offloads as many layers as fit in VRAM; 0 keeps everything on the CPU. Default 'auto'. */
  gpuLayers?: 'auto' | number;
  /** Default: physical cores. Never left to node-llama-cpp's default (4), which ran ~100× slower on 2 cores. */
  threads?: number;
  /** Force the CPU runtime. Default false (GPU auto-detected, CPU fallback). */
  cpuOnly?: boolean;
  /** Model name used for pricing in the ledger. Default: the GGUF's general.name or file name. */
  modelName?: string;
  /**
   * Grammar-constrained generations feed the text the grammar forces (`{"name":"`, `","age":`) as one batch
   * without sampling it (see `GrammarFastForward`), and stop without a final decode once only end-of-text is
   * allowed. Default true. Same text semantics; token boundaries inside forced spans are canonical rather than
   * sampled. false = node-llama-cpp's LlamaCompletion path (llama.cpp's check-sampled-token-then-filter).
   */
  grammarFastForward?: boolean;
}

/**
 * A GGUF model loaded through node-llama-cpp, with one context sequence. Generations are serialised
 * (one sequence = one stream at a time); the prefix shared with the previous prompt is reused by llama.cpp.
 */
export class LocalLlamaProvider implements LlmProvider {
  readonly providerId = 'local';
  readonly kind = 'local' as const;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private readonly grammarCache = new Map<string, Promise<LlamaGrammar>>();
  /** Resolved once: node-llama-cpp validates the Jinja chat template on every resolve (~3 s of CPU). */
  private chatWrapper: ChatWrapper | undefined;

  private constructor(
    readonly llama: Llama,
    readonly llamaModel: LlamaModel,
    private readonly context: LlamaContext,
    private readonly sequence: LlamaContextSequence,
    readonly summary: GgufSummary,
    readonly model: string,
    readonly threads: number,
    readonly loadMs: number,
    private readonly fastForwardByDefault: boolean,
  ) {}

  private fastForward: GrammarFastForward | undefined;
  /** Totals over this provider's fast-forward generations: tokens fed without sampling vs sampled by the model. */
  readonly grammarStats = { forcedTokens: 0, sampledTokens: 0 };

  static async create(options: LocalLlamaProviderOptions): Promise<LocalLlamaProvider> {
    const started = performance.now();
    const { summary, insights } = await inspectGgufDetailed(options.modelPath);
    const llama = await getLlamaRuntime({ gpu: options.cpuOnly ? false : 'auto' });
    const gpuLayers = llama.gpu === false ? 0 : (options.gpuLayers ?? 'auto');
    const threads = options.threads ?? physicalCoreCount();
    const contextSize = options.contextSize ?? Math.min(summary.contextLength ?? 4096, 4096);
    const estimate = insights.estimateModelResourceRequirements({ gpuLayers: typeof gpuLayers === 'number' ? gpuLayers : 0 });
    const available = os.totalmem();
    if (estimate.cpuRam > available * 0.9) throw new ModelTooLargeError(summary.path, estimate.cpuRam, available);

    let llamaModel: LlamaModel;
    try {
      llamaModel = await llama.loadModel({ modelPath: summary.path, gpuLayers });
    } catch (err) {
      throw new ModelLoadError(summary.path, (err as Error).message, err);
    }
    let context: LlamaContext;
    try {
      context = await llamaModel.createContext({ contextSize, threads, sequences: 1 });
    } catch (err) {
      await llamaModel.dispose();
      throw new ModelLoadError(summary.path, `could not create a ${contextSize}-token context: ${(err as Error).message}`, err);
    }
    const name = options.modelName ?? summary.name ?? summary.fileName.replace(/\.gguf$/i, '');
    return new LocalLlamaProvider(
      llama,
      llamaModel,
      context,
      context.getSequence(),
      summary,
      name,
      threads,
      performance.now() - started,
      options.grammarFastForward ?? true,
    );
  }

  get contextSize(): number {
    return this.context.contextSize;
  }

  get gpu(): string {
    return this.llama.gpu === false ? 'cpu' : this.llama.gpu;
  }

  get gpuLayers(): number {
    return this.llamaModel.gpuLayers;
  }

  async countTokens(text: string): Promise<number> {
    return this.llamaModel.tokenize(text).length;
  }

  /** Compile (and cache) a GBNF grammar with llama.cpp's parser; a bad grammar is a typed error, not a crash. */
  async grammar(gbnf: string): Promise<LlamaGrammar> {
    let cached = this.grammarCache.get(gbnf);
    if (cached === undefined) {
      cached = this.llama.createGrammar({ grammar: gbnf }).catch((err: unknown) => {
        this.grammarCache.delete(gbnf);
        throw new GrammarInvalidError((err as Error).message, err);
      });
      this.grammarCache.set(gbnf, cached);
      if (this.grammarCache.size > 64) this.grammarCache.delete(this.grammarCache.keys().next().value as string);
    }
    return cached;
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    const run = this.queue.then(() => this.generateNow(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async generateNow(request: GenerateRequest): Promise<GenerateResult> {
    if (this.disposed) throw new AppError('MODEL_NOT_LOADED', 'The model was unloaded.');
    if (request.signal?.aborted) throw new AppError('CANCELLED', 'The generation was cancelled.');
    const grammar = request.grammar === undefined ? undefined : await this.grammar(request.grammar);
    let input: LlamaText | string;
    let stopTriggers: LlamaText[] = [];
    if (request.messages !== undefined) {
      this.chatWrapper ??= resolveChatWrapper(this.llamaModel);
      const wrapper = this.chatWrapper;
      const history: ChatHistoryItem[] = request.messages.map((m): ChatHistoryItem =>
        m.role === 'assistant' ? { type: 'model', response: [m.content] } : { type: m.role, text: m.content },
      );
      const state = wrapper.generateContextState({ chatHistory: [...history, { type: 'model', response: [] }] });
      input = state.contextText;
      stopTriggers = state.stopGenerationTriggers;
    } else {
      input = request.prompt ?? '';
    }
    const promptTokens =
      typeof input === 'string' ? this.llamaModel.tokenize(input).length : input.tokenize(this.llamaModel.tokenizer).length;
    if (promptTokens + 1 >= this.contextSize) {
      throw new AppError('INVALID_INPUT', `The prompt is ${promptTokens} tokens; the context holds ${this.contextSize}.`, {
        details: { promptTokens, contextSize: this.contextSize },
      });
    }

    if (grammar !== undefined && (request.grammarFastForward ?? this.fastForwardByDefault)) {
      this.fastForward ??= GrammarFastForward.create(this.llama, this.llamaModel);
      return this.generateFastForward(request, input, grammar, promptTokens, this.fastForward);
    }
    const completion = new LlamaCompletion({ contextSequence: this.sequence });
    const started = performance.now();
    let firstTokenAt: number | null = null;
    let completionTokens = 0;
    const tokensPerSecond = () => {
      const elapsed = (performance.now() - (firstTokenAt ?? started)) / 1000;
      return completionTokens > 1 && elapsed > 0 ? (completionTokens - 1) / elapsed : 0;
    };
    try {
      const result = await completion.generateCompletionWithMeta(input, {
        maxTokens: Math.min(request.maxTokens, this.contextSize - promptTokens - 1),
        temperature: request.temperature,
        ...(request.topK === undefined ? {} : { topK: request.topK }),
        ...(request.topP === undefined ? {} : { topP: request.topP }),
        ...(request.seed === undefined ? {} : { seed: request.seed }),
        ...(grammar === undefined ? {} : { grammar }),
        customStopTriggers: [...stopTriggers, ...(request.stop ?? [])],
        ...(request.signal === undefined ? {} : { signal: request.signal, stopOnAbortSignal: true }),
        onToken: (tokens) => {
          if (firstTokenAt === null) firstTokenAt = performance.now();
          completionTokens += tokens.length;
        },
        onTextChunk: (text) => request.onTextChunk?.(text, completionTokens, tokensPerSecond()),
      });
      const stop = result.metadata.stopReason;
      const durationMs = performance.now() - started;
      return {
        text: result.response,
        promptTokens,
        completionTokens,
        durationMs,
        firstTokenMs: firstTokenAt === null ? null : firstTokenAt - started,
        tokensPerSecond: tokensPerSecond(),
        finishReason: stop === 'maxTokens' ? 'length' : stop === 'abort' ? 'cancelled' : 'stop',
        model: this.model,
      };
    } catch (err) {
      if (request.signal?.aborted) throw new AppError('CANCELLED', 'The generation was cancelled.', { cause: err });
      throw err;
    } finally {
      completion.dispose({ disposeSequence: false });
    }
  }

  /**
   * The grammar path with forced-text fast-forward: our own loop over `LlamaContextSequence.evaluate`, which
   * samples natively (llama.cpp's chain, then the grammar check of the sampled token, the full-vocabulary filter
   * only on rejection) and lets us replace the next input with `[sampled, ...forced]`. Stops on an
   * end-of-generation token, when only the end is allowed, at `maxTokens`, at a `request.stop` string, or on abort.
   * Chat-template stop triggers are not needed here: a complete grammar allows only end-of-generation.
   */
  private async generateFastForward(
    request: GenerateRequest,
    input: LlamaText | string,
    grammar: LlamaGrammar,
    promptTokens: number,
    ff: GrammarFastForward,
  ): Promise<GenerateResult> {
    const model = this.llamaModel;
    const started = performance.now();
    let firstTokenAt: number | null = null;
    const output: Token[] = [];
    let emittedText = '';
    const maxTokens = Math.min(request.maxTokens, this.contextSize - promptTokens - 1);
    const tokensPerSecond = () => {
      const elapsed = (performance.now() - (firstTokenAt ?? started)) / 1000;
      return output.length > 1 && elapsed > 0 ? (output.length - 1) / elapsed : 0;
    };
    let stopHit = false;
    const emit = (tokens: Token[]) => {
      if (tokens.length === 0) return;
      firstTokenAt ??= performance.now();
      output.push(...tokens);
      const text = model.detokenize(output);
      if (request.stop !== undefined && request.stop.length > 0) {
        const at = Math.min(...request.stop.map((s) => (s === '' ? -1 : text.indexOf(s))).filter((i) => i >= 0));
        if (Number.isFinite(at)) {
          stopHit = true;
          if (at > emittedText.length) request.onTextChunk?.(text.slice(emittedText.length, at), output.length, tokensPerSecond());
          emittedText = text.slice(0, at);
          return;
        }
      }
      if (text.endsWith('\uFFFD')) return; // mid-character: wait for the rest of the bytes
      if (text.length > emittedText.length && text.startsWith(emittedText)) {
        request.onTextChunk?.(text.slice(emittedText.length), output.length, tokensPerSecond());
      }
      emittedText = text;
    };

    const state = new LlamaGrammarEvaluationState({ model, grammar });
    const bos = model.tokens.shouldPrependBosToken ? model.tokens.bos : null;
    const promptTokenIds: Token[] = [
      ...(bos === null ? [] : [bos]),
      ...(typeof input === 'string'
        ? model.tokenize(input, false, bos === null ? undefined : 'trimLeadingSpace')
        : input.tokenize(model.tokenizer, bos === null ? undefined : 'trimLeadingSpace')),
    ];
    const prefix = ff.takeForcedTokens(state, maxTokens);
    this.grammarStats.forcedTokens += prefix.length;
    emit(prefix);
    let finish: GenerateResult['finishReason'] = 'stop';
    let evalTokens = [...promptTokenIds, ...prefix];
    // reuse the KV cache for the shared prefix; at least one token must be decoded to sample
    const last = evalTokens.pop()!;
    await this.sequence.adaptStateToTokens(evalTokens, false);
    evalTokens = [...evalTokens.slice(this.sequence.nextTokenIndex), last];

    const iterator = this.sequence.evaluate(evalTokens, {
      temperature: request.temperature,
      ...(request.topK === undefined ? {} : { topK: request.topK }),
      ...(request.topP === undefined ? {} : { topP: request.topP }),
      ...(request.seed === undefined ? {} : { seed: request.seed }),
      grammarEvaluationState: state,
      yieldEogToken: true,
    });
    let next: Token[] | undefined;
    try {
      for (let step = 0; step <= maxTokens; step += 1) {
        if (stopHit) break;
        if (request.signal?.aborted) {
          finish = 'cancelled';
          break;
        }
        if (output.length > 0 && ff.onlyEndAllowed(state)) break;
        if (output.length >= maxTokens) {
          finish = 'length';
          break;
        }
        const r = await iterator.next(next);
        if (r.done === true) break;
        const token = r.value;
        if (model.isEogToken(token)) break;
        const forced = ff.takeForcedTokens(state, maxTokens - output.length - 1);
        this.grammarStats.sampledTokens += 1;
        this.grammarStats.forcedTokens += forced.length;
        emit([token, ...forced]);
        next = [token, ...forced];
      }
    } catch (err) {
      if (request.signal?.aborted) throw new AppError('CANCELLED', 'The generation was cancelled.', { cause: err });
      throw err;
    } finally {
      await iterator.return(undefined);
    }
    const text = stopHit ? emittedText : model.detokenize(output);
    if (!stopHit && text.length > emittedText.length && text.startsWith(emittedText)) {
      request.onTextChunk?.(text.slice(emittedText.length), output.length, tokensPerSecond());
    }
    return {
      text,
      promptTokens,
      completionTokens: output.length,
      durationMs: performance.now() - started,
      firstTokenMs: firstTokenAt === null ? null : firstTokenAt - started,
      tokensPerSecond: tokensPerSecond(),
      finishReason: finish,
      model: this.model,
    };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    await this.context.dispose();
    await this.llamaModel.dispose();
  }
}
