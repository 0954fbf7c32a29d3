import { AppError } from '../../../../shared/errors.js';

/**
 * What was refused. `syntax` means the pattern is not a valid ECMAScript regex (in the dialect we parse);
 * every other value names a valid regex feature that has no exact context-free (GBNF) translation here.
 */
export type RegexFeature =
  | 'syntax'
  | 'backreference'
  | 'lookahead'
  | 'lookbehind'
  | 'word-boundary'
  | 'anchor'
  | 'unicode-property'
  | 'modifiers'
  | 'octal-escape';

/**
 * A pattern that `regexToGbnf` cannot translate exactly (backreferences, lookaround, `\b`, anchors in the
 * middle, `\p{..}`, inline modifiers) or cannot parse. `index` is the UTF-16 offset in `pattern` where the
 * offending construct starts, so a UI can underline it.
 */
export class RegexUnsupportedError extends AppError {
  constructor(
    readonly pattern: string,
    readonly feature: RegexFeature,
    readonly index: number,
    message: string,
  ) {
    super('REGEX_UNSUPPORTED', `${message} (at index ${index} of /${pattern}/)`, {
      details: { pattern, feature, index },
    });
  }
}
