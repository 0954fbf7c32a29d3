import {
  getLlama,
  LlamaGrammar,
  LlamaGrammarEvaluationState,
  type Llama,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import { AppError } from '../../../../shared/errors.js';
import type { CompiledGrammarCheck } from './GrammarChecker.js';
import { GrammarInvalidError } from './GrammarInvalidError.js';
import { diagnoseGbnf } from './diagnoseGbnf.js';

export interface TokenWalkCheckerOptions {
  /** A GGUF whose vocabulary has one token per byte, `<0xHH>` at id `HH + byteTokenOffset` (e.g. stories260K). */
  modelPath: string;
  /** Id of the `<0x00>` token. Default 3 (SentencePiece: `<unk> <s> </s>` come first). Verified at create. */
  byteTokenOffset?: number;
  /** `getLlama({maxThreads})`. Default 2. */
  threads?: number;
}

/** The sampler statics node-llama-cpp itself uses for grammar checks (`LlamaSampler._canBeNext…`). */
interface AddonSamplerStatics {
  canBeNextTokenForGrammarEvaluationState(state: unknown, token: Token): boolean;
  acceptGrammarEvaluationStateToken(state: unknown, token: Token): void;
}

/**
 * The cross-check for `GrammarChecker`: walks a text's UTF-8 bytes as byte tokens through a documented
 * `LlamaGrammarEvaluationState` (llama.cpp's sampler-side grammar, with partial-UTF-8 tracking), and accepts
 * iff every byte could be next and EOS can be next at the end. Needs a byte-level vocabulary; loads only the
 * vocabulary (`vocabOnly`), so it is quick. Tests only — the product uses `GrammarChecker`.
 *
 * Two llama.cpp behaviours abort the whole process, so both are guarded: accepting EOS when it cannot be
 * next (we only ask, never accept EOS), and touching a token id outside the vocabulary (ids are range-checked).
 */
export class TokenWalkChecker {
  private disposed = false;

  private constructor(
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly offset: number,
    private readonly vocabSize: number,
    private readonly eos: Token,
  ) {}

  static async create(options: TokenWalkCheckerOptions): Promise<TokenWalkChecker> {
    const offset = options.byteTokenOffset ?? 3;
    const llama = await getLlama({ gpu: false, build: 'never', maxThreads: options.threads ?? 2 });
    try {
      const model = await llama.loadModel({ modelPath: options.modelPath, vocabOnly: true });
      const tokens = (model.fileInfo.metadata as { tokenizer?: { ggml?: { tokens?: unknown } } }).tokenizer?.ggml?.tokens;
      const eos = model.tokens.eos;
      const byteVocab =
        Array.isArray(tokens) &&
        tokens.length >= offset + 256 &&
        Array.from({ length: 256 }, (_, b) => tokens[offset + b] === `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`).every(Boolean);
      if (!byteVocab || eos === null || !Array.isArray(tokens)) {
        await model.dispose();
        throw new AppError('MODEL_LOAD_FAILED', `${options.modelPath} has no byte tokens <0x00>…<0xFF> at id ${offset}, or no EOS`, {
          details: { path: options.modelPath, byteTokenOffset: offset },
        });
      }
      return new TokenWalkChecker(llama, model, offset, tokens.length, eos);
    } catch (e) {
      await llama.dispose();
      throw e;
    }
  }

  compile(gbnf: string, rootRuleName = 'root'): CompiledGrammarCheck {
    if (this.disposed) throw new Error('TokenWalkChecker is disposed');
    let grammar: LlamaGrammar;
    try {
      grammar = new LlamaGrammar(this.llama, { grammar: gbnf, rootRuleName });
    } catch (e) {
      throw new GrammarInvalidError(diagnoseGbnf(gbnf, rootRuleName) ?? 'llama.cpp failed to parse the grammar', e);
    }
    const sampler = (this.llama as unknown as { _bindings: { AddonSampler: AddonSamplerStatics } })._bindings.AddonSampler;
    return {
      accepts: (text: string): boolean => {
        if (this.disposed) throw new Error('TokenWalkChecker is disposed');
        const state = new LlamaGrammarEvaluationState({ model: this.model, grammar });
        const raw = (state as unknown as { _state: unknown })._state;
        for (const byte of Buffer.from(text, 'utf8')) {
          const token = (byte + this.offset) as Token;
          if (token >= this.vocabSize) throw new RangeError(`token ${token} outside the vocabulary of ${this.vocabSize}`);
          if (!sampler.canBeNextTokenForGrammarEvaluationState(raw, token)) return false;
          sampler.acceptGrammarEvaluationStateToken(raw, token);
        }
        return this.eos < this.vocabSize && sampler.canBeNextTokenForGrammarEvaluationState(raw, this.eos);
      },
    };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.model.dispose();
    await this.llama.dispose();
  }
}
