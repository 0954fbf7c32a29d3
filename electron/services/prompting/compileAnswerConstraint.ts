import { AppError } from '../../../shared/errors.js';
import { canonicalJson, compileJsonSchema, fragmentToGrammar, regexToGbnf } from '../constrain/index.js';
import { AnswerExtractionError } from './AnswerExtractionError.js';
import { normalizeAnswer } from './majorityVote.js';

/** How a final answer is constrained: a regex the whole answer must match, or a JSON Schema it must satisfy. */
export type AnswerSpec = { regex: string } | { schema: unknown };

export interface CompiledAnswer {
  kind: 'regex' | 'schema';
  /** GBNF for the answer step (pass as `grammar`). */
  grammar: string;
  /**
   * Parse a complete (not truncated) constrained output into its value and its vote key: regex answers vote on
   * `normalizeAnswer(text)`, schema answers on their canonical (key-sorted) JSON.
   * @throws AnswerExtractionError when the text violates the constraint (a grammar/validator mismatch).
   */
  parse(text: string): { value: unknown; key: string };
}

/**
 * Compile an answer constraint once (grammar compilation is the costly part; reuse it across samples).
 * Regex answers are generated as raw text (`regexToGbnf` context 'raw') and re-checked with a JS anchored
 * `RegExp`; schema answers use `compileJsonSchema` in strict mode (no post-validation keywords, so anything
 * the grammar accepts is valid) and are re-parsed with `JSON.parse`.
 * @throws RegexUnsupportedError | SchemaCompileError | SchemaInvalidError from the constrain service.
 */
export function compileAnswerConstraint(spec: AnswerSpec): CompiledAnswer {
  if ('regex' in spec) {
    const grammar = fragmentToGrammar(regexToGbnf(spec.regex, { context: 'raw' }));
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${spec.regex})$`);
    } catch (e) {
      // the GBNF translation accepted it but JavaScript cannot check it: refuse rather than vote unchecked
      throw new AppError('REGEX_UNSUPPORTED', `The answer regex is not a valid JavaScript RegExp: ${(e as Error).message}`, {
        details: { pattern: spec.regex },
        cause: e,
      });
    }
    return {
      kind: 'regex',
      grammar,
      parse(text) {
        if (!re.test(text)) throw new AnswerExtractionError('answer', text, `does not match /${spec.regex}/`);
        return { value: text, key: normalizeAnswer(text) };
      },
    };
  }
  const compiled = compileJsonSchema(spec.schema);
  return {
    kind: 'schema',
    grammar: compiled.gbnf,
    parse(text) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new AnswerExtractionError('answer', text, `not JSON (${(e as Error).message})`);
      }
      return { value, key: canonicalJson(value) };
    },
  };
}
