import { getLlama, LlamaGrammar, type Llama } from 'node-llama-cpp';
import { GrammarInvalidError } from './GrammarInvalidError.js';
import { diagnoseGbnf } from './diagnoseGbnf.js';

/** A compiled grammar that judges whole texts. */
export interface CompiledGrammarCheck {
  /** true iff the WHOLE text is in the grammar's language (root matches fully). */
  accepts(text: string): boolean;
}

/** The internal node-llama-cpp surface we rely on (pinned by GrammarChecker.model.test.ts). */
interface AddonGrammarLike {
  isTextCompatible(text: string): boolean;
}

export interface GrammarCheckerOptions {
  /** Passed to `getLlama({maxThreads})`. The text check itself is single-threaded. Default 2. */
  threads?: number;
}

/**
 * Judges texts against GBNF grammars with llama.cpp's own grammar engine — the same one that constrains
 * generation — without loading any model.
 *
 * How: node-llama-cpp 3.21.1's addon grammar has an internal `isTextCompatible(text)` that re-parses the
 * grammar, feeds the text's code points through `llama_grammar_accept` and reports whether some stack is
 * complete at the end. Measured on this 2-core box: p50 3.9 µs for `[A-Z]{2}\d{4}` on 6 chars; 12 ms for the
 * 999-rule `\w{1,1000}` grammar on 1000 chars (it re-parses the grammar on every call, so cost grows with
 * grammar size). It is `@internal` upstream; the model test pins it so an upgrade that removes it fails
 * loudly. `TokenWalkChecker` is the documented-API cross-check.
 *
 * Findings (llama.cpp as bundled in 3.21.1, see the model tests):
 * - left-recursive grammars (`root ::= root "a" | "b"`, also indirect) are refused at parse time
 *   (llama.cpp logs "left recursion detected" asynchronously) → `GrammarInvalidError` whose reason names the
 *   cycle (`diagnoseGbnf`); note `("a"?)*`, left-recursive after llama.cpp's own rewrite, is NOT refused;
 * - ambiguous grammars are fine (stacks are deduplicated), e.g. `("a"|"a")*` on 300 chars;
 * - the empty text is accepted iff the root can derive ε;
 * - non-BMP characters are single code points (UTF-8 decoded), `[\U0001F600-\U0001F64F]` matches 😀; a lone
 *   UTF-16 surrogate in the JS string reaches llama.cpp as U+FFFD (N-API UTF-8 conversion);
 * - U+0000 in the text is a normal code point (`"\x00"` matches it).
 *
 * Where token-level generation differs from this whole-text verdict (pinned in TokenWalkChecker.model.test.ts):
 * - a token whose text starts with a NUL byte is never allowed, so raw U+0000 cannot be generated;
 * - on a token that ends mid-character, `[^…]` rejects as soon as any excluded code point shares the partial
 *   prefix (`[^\u2028]` refuses the first byte of `€`); regexToGbnf therefore writes non-ASCII exclusions as
 *   positive classes.
 */
export class GrammarChecker {
  private disposed = false;

  private constructor(private readonly llama: Llama) {}

  static async create(options: GrammarCheckerOptions = {}): Promise<GrammarChecker> {
    // no logger/logLevel here: node-llama-cpp installs them process-wide (the last Llama created wins), so
    // silencing ours would silence the app's model-loading errors too
    const llama = await getLlama({ gpu: false, build: 'never', maxThreads: options.threads ?? 2 });
    return new GrammarChecker(llama);
  }

  /**
   * Parse/compile GBNF once; throws GrammarInvalidError (code 'GRAMMAR_INVALID') with a diagnosis on a bad
   * grammar (llama.cpp itself also prints its parse message to stderr).
   */
  compile(gbnf: string, rootRuleName = 'root'): CompiledGrammarCheck {
    if (this.disposed) throw new Error('GrammarChecker is disposed');
    let grammar: LlamaGrammar;
    try {
      grammar = new LlamaGrammar(this.llama, { grammar: gbnf, rootRuleName });
    } catch (e) {
      throw new GrammarInvalidError(diagnoseGbnf(gbnf, rootRuleName) ?? 'llama.cpp failed to parse the grammar', e);
    }
    const addon = (grammar as unknown as { _grammar: AddonGrammarLike })._grammar;
    if (typeof addon?.isTextCompatible !== 'function') {
      throw new Error('node-llama-cpp no longer exposes AddonGrammar.isTextCompatible; GrammarChecker needs updating');
    }
    return {
      accepts: (text: string): boolean => {
        if (this.disposed) throw new Error('GrammarChecker is disposed');
        return addon.isTextCompatible(text);
      },
    };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.llama.dispose();
  }
}
