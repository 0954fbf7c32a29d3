import { compileJsonSchema, compileZod, fragmentToGrammar, regexToGbnf } from '../constrain/index.js';
import type { LlmProvider } from '../llm/index.js';
import { createValidator } from './createValidator.js';
import { soakCases } from './soakCases.js';

export interface SoakReport {
  runs: number;
  valid: number;
  /** Stopped by the token budget before the grammar could complete: not an error of the grammar. */
  truncated: number;
  /** Output the grammar allowed but the validator rejected: must be 0. */
  invalid: number;
  failures: { case: string; seed: number; output: string; errors: string[] }[];
  perCase: Record<string, { runs: number; valid: number; truncated: number; invalid: number }>;
}

/**
 * Generates under each soak case's compiled grammar with many seeds, and checks every complete output with
 * an independent validator (ajv for JSON Schema, zod's parse for zod, a full-match RegExp for regex).
 */
export async function runExtractionSoak(options: { provider: LlmProvider; runsPerCase: number; seed?: number; maxTokens?: number; temperature?: number }): Promise<SoakReport> {
  const report: SoakReport = { runs: 0, valid: 0, truncated: 0, invalid: 0, failures: [], perCase: {} };
  for (const c of soakCases) {
    const stats = (report.perCase[c.name] = { runs: 0, valid: 0, truncated: 0, invalid: 0 });
    let gbnf: string;
    let check: (text: string) => string[];
    if (c.target.kind === 'regex') {
      gbnf = fragmentToGrammar(regexToGbnf(c.target.pattern, { context: 'raw' }));
      const re = new RegExp(`^(?:${c.target.pattern})$`, 'u');
      check = (t) => (re.test(t) ? [] : ['no full match']);
    } else if (c.target.kind === 'zod') {
      const zodSchema = c.target.schema;
      const compiled = compileZod(zodSchema);
      gbnf = compiled.gbnf;
      check = (t) => {
        try {
          const r = zodSchema.safeParse(JSON.parse(t));
          return r.success ? [] : r.error.issues.map((i) => i.message);
        } catch (e) {
          return [(e as Error).message];
        }
      };
    } else if (c.target.kind === 'json-schema') {
      gbnf = compileJsonSchema(c.target.schema).gbnf;
      const validate = createValidator(c.target.schema);
      check = (t) => {
        try {
          return validate(JSON.parse(t));
        } catch (e) {
          return [(e as Error).message];
        }
      };
    } else continue;
    for (let i = 0; i < options.runsPerCase; i += 1) {
      const seed = (options.seed ?? 1) * 100_003 + report.runs;
      const r = await options.provider.generate({
        prompt: 'Output:',
        grammar: gbnf,
        maxTokens: options.maxTokens ?? 160,
        temperature: options.temperature ?? 1,
        seed,
      });
      report.runs += 1;
      stats.runs += 1;
      if (r.finishReason === 'length') {
        report.truncated += 1;
        stats.truncated += 1;
        continue;
      }
      const errors = check(r.text);
      if (errors.length === 0) {
        report.valid += 1;
        stats.valid += 1;
      } else {
        report.invalid += 1;
        stats.invalid += 1;
        report.failures.push({ case: c.name, seed, output: r.text, errors });
      }
    }
  }
  return report;
}
