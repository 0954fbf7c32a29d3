import { LlamaGrammarEvaluationState, type Llama, type LlamaModel, type Token } from 'node-llama-cpp';

/** The sampler statics node-llama-cpp itself uses for grammar checks (`LlamaSampler._canBeNext…`, pinned 3.21.1). */
interface AddonSamplerStatics {
  canBeNextTokenForGrammarEvaluationState(state: unknown, token: Token): boolean;
  acceptGrammarEvaluationStateToken(state: unknown, token: Token): void;
}

/** Characters probed one by one: ASCII printables plus tab/newline/CR. */
const ASCII_PROBES = ['\t', '\n', '\r', ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i))];
/**
 * Non-ASCII probes (their first token, which may be a partial UTF-8 sequence — llama.cpp's grammar accepts a
 * partial character when some allowed code point starts with it). If any is allowed the position is not forced.
 */
const NON_ASCII_PROBES = ['é', 'ß', 'ü', 'ñ', 'я', 'α', '中', '日', '€', '😀', '\u00a0', 'ا', 'ก', '한'];

/**
 * Fast-forwards the text a grammar forces: when, after the tokens so far, the grammar allows exactly one next
 * character (`{"name":"` after `{` for a fixed-key object), those characters are tokenized and fed to the model
 * in one batch without sampling — no logits read, no 152k-vocabulary grammar filter, one decode for many tokens.
 *
 * How a position is judged forced: every ASCII character's single-character token is asked
 * `canBeNextToken` (~0.8 µs each, ~100 asks per forced character), plus a fixed set of non-ASCII probes; it is
 * forced iff exactly one ASCII character passes, no non-ASCII probe passes and end-of-generation is not allowed.
 * Trade-offs:
 * - the forced span is tokenized canonically (`"name` may become `"` + `name`), not as the model would have
 *   split it; the text is identical, the token boundaries may differ from unconstrained sampling;
 * - a grammar that allows one ASCII character plus only non-ASCII characters outside the probe set (e.g. regex
 *   `[aÆ]`) is judged forced to the ASCII one: still valid output, but that choice is taken from the model;
 * - every forced token is re-checked against the real grammar state before it is accepted, so output validity
 *   never depends on the probing.
 * Internal API: uses the addon's `canBeNextTokenForGrammarEvaluationState` / `acceptGrammarEvaluationStateToken`
 * statics and `LlamaGrammarEvaluationState._state` (node-llama-cpp 3.21.1, pinned by the model tests).
 */
export class GrammarFastForward {
  private constructor(
    private readonly model: LlamaModel,
    private readonly sampler: AddonSamplerStatics,
    private readonly asciiProbes: readonly { char: string; token: Token }[],
    private readonly otherProbes: readonly Token[],
    private readonly endTokens: readonly Token[],
  ) {}

  /** Builds the probe table for one model (~100 tokenize calls, < 5 ms). */
  static create(llama: Llama, model: LlamaModel): GrammarFastForward {
    const sampler = (llama as unknown as { _bindings?: { AddonSampler?: Partial<AddonSamplerStatics> } })._bindings?.AddonSampler;
    if (typeof sampler?.canBeNextTokenForGrammarEvaluationState !== 'function' || typeof sampler.acceptGrammarEvaluationStateToken !== 'function') {
      throw new Error('node-llama-cpp no longer exposes the AddonSampler grammar statics; GrammarFastForward needs updating');
    }
    const asciiProbes: { char: string; token: Token }[] = [];
    for (const char of ASCII_PROBES) {
      const tokens = model.tokenize(char, false, 'trimLeadingSpace');
      if (tokens.length === 1 && model.detokenize(tokens) === char) asciiProbes.push({ char, token: tokens[0]! });
    }
    const otherProbes = [...new Set(NON_ASCII_PROBES.map((c) => model.tokenize(c, false, 'trimLeadingSpace')[0]).filter((t): t is Token => t !== undefined))];
    const endTokens = [model.tokens.eos, model.tokens.eot].filter((t): t is Token => t !== null);
    return new GrammarFastForward(model, sampler as AddonSamplerStatics, asciiProbes, otherProbes, endTokens);
  }

  /** How many ASCII characters have a single-character token (97 on byte-level BPE vocabularies). */
  get probeCount(): number {
    return this.asciiProbes.length;
  }

  canBeNext(state: LlamaGrammarEvaluationState, token: Token): boolean {
    return this.sampler.canBeNextTokenForGrammarEvaluationState(rawState(state), token);
  }

  accept(state: LlamaGrammarEvaluationState, token: Token): void {
    this.sampler.acceptGrammarEvaluationStateToken(rawState(state), token);
  }

  /** True when the grammar is complete and nothing may follow: generation can stop without another decode. */
  onlyEndAllowed(state: LlamaGrammarEvaluationState): boolean {
    if (!this.endTokens.some((t) => this.canBeNext(state, t))) return false;
    return !this.asciiProbes.some((p) => this.canBeNext(state, p.token)) && !this.otherProbes.some((t) => this.canBeNext(state, t));
  }

  /** The characters the grammar forces from `state` on (does not modify `state`). At most `maxChars`. */
  forcedText(state: LlamaGrammarEvaluationState, maxChars = 64): string {
    let text = '';
    let probe: LlamaGrammarEvaluationState | undefined;
    for (let i = 0; i < maxChars; i += 1) {
      const current = probe ?? state;
      if (this.endTokens.some((t) => this.canBeNext(current, t))) break;
      if (this.otherProbes.some((t) => this.canBeNext(current, t))) break;
      let only: { char: string; token: Token } | undefined;
      let count = 0;
      for (const p of this.asciiProbes) {
        if (this.canBeNext(current, p.token)) {
          only = p;
          count += 1;
          if (count > 1) break;
        }
      }
      if (count !== 1 || only === undefined) break;
      probe ??= state.clone();
      this.accept(probe, only.token);
      text += only.char;
    }
    return text;
  }

  /**
   * Tokenizes the forced text, accepts each token into `state` (each re-checked first) and returns them.
   * Stops at the first token the grammar refuses, so the returned tokens are always grammar-valid.
   */
  takeForcedTokens(state: LlamaGrammarEvaluationState, maxTokens: number): Token[] {
    if (maxTokens <= 0) return [];
    const text = this.forcedText(state);
    if (text === '') return [];
    const tokens = this.model.tokenize(text, false, 'trimLeadingSpace');
    const taken: Token[] = [];
    for (const t of tokens) {
      if (taken.length >= maxTokens || !this.canBeNext(state, t)) break;
      this.accept(state, t);
      taken.push(t);
    }
    return taken;
  }
}

function rawState(state: LlamaGrammarEvaluationState): unknown {
  return (state as unknown as { _state: unknown })._state;
}
