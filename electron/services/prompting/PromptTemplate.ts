import { createHash } from 'node:crypto';
import { TemplateVariableMissingError } from './TemplateVariableMissingError.js';

export type TemplateVars = Record<string, unknown>;

/** `{{name}}`, `{{ name }}`, `{{user.name}}`; `\{{` is a literal `{{`. */
const PLACEHOLDER = /(\\?)\{\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\s*\}\}/g;

function lookup(vars: TemplateVars, path: string): { found: boolean; value: unknown } {
  let cur: unknown = vars;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key)) return { found: false, value: undefined };
    cur = (cur as Record<string, unknown>)[key];
  }
  return { found: cur !== undefined, value: cur };
}

/**
 * A named, versioned prompt with `{{variable}}` placeholders (dotted paths reach into objects).
 * Rendering is strict: a missing variable throws `TemplateVariableMissingError` instead of leaving
 * `{{x}}` or an empty string in the prompt, because a silently-broken prompt still "works" and
 * corrupts an eval. `null` renders as "null"; objects and arrays render as JSON; strings verbatim.
 * Values are substituted once (a value containing `{{y}}` is not expanded again).
 * `hash` (sha256 of the text, 16 hex) identifies the exact wording in eval runs even if someone
 * forgets to bump `version`.
 */
export class PromptTemplate {
  readonly hash: string;
  readonly variables: readonly string[];

  constructor(
    readonly name: string,
    readonly text: string,
    readonly version = 1,
  ) {
    if (!Number.isInteger(version) || version < 1) throw new RangeError(`PromptTemplate "${name}": version must be a positive integer`);
    this.hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
    const seen = new Set<string>();
    for (const m of text.matchAll(PLACEHOLDER)) if (m[1] === '') seen.add(m[2]!);
    this.variables = [...seen];
  }

  /** Renders with `vars`; throws `TemplateVariableMissingError {template, variable}` for the first missing one. */
  render(vars: TemplateVars): string {
    return this.text.replace(PLACEHOLDER, (whole, escape: string, path: string) => {
      if (escape) return whole.slice(1);
      const { found, value } = lookup(vars, path);
      if (!found) throw new TemplateVariableMissingError(`${this.name}@v${this.version}`, path);
      return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
    });
  }

  /** A new template with the next version number (the name stays). */
  revise(text: string): PromptTemplate {
    return new PromptTemplate(this.name, text, this.version + 1);
  }
}
