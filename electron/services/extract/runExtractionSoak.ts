import { anyJsonGbnf, compileJsonSchema, compileTools, compileZod, fragmentToGrammar, regexToGbnf, type CompileJsonSchemaOptions } from '../constrain/index.js';
import type { LlmProvider } from '../llm/index.js';
import { createValidator } from './createValidator.js';
import { keyOrderErrors } from './keyOrderErrors.js';
import { soakCases, type SoakCase } from './soakCases.js';
import { soakFeatures, type SoakFeature } from './soakFeatures.js';
import { whitespaceErrors } from './whitespaceErrors.js';

export interface SoakCaseStats {
  runs: number;
  /** Completed and accepted by the independent checks. */
  valid: number;
  /** Stopped by the token budget before the grammar could complete: not an error of the grammar. */
  truncated: number;
  /** Completed, but rejected by a check: must be 0. */
  invalid: number;
  maxTokens: number;
  seconds: number;
  /** Set when the case could not be compiled; the case then has no runs. */
  error?: string;
}

export interface SoakReport {
  runs: number;
  valid: number;
  truncated: number;
  invalid: number;
  failures: { case: string; seed: number; output: string; errors: string[] }[];
  perCase: Record<string, SoakCaseStats>;
  /** Feature → names of the cases with at least one valid completed run exercising it (see `SoakCase.evidence`). */
  coverage: Record<SoakFeature, string[]>;
  /** Features with no valid completed run: must be empty. */
  uncovered: SoakFeature[];
  /** True iff no output was invalid, every case compiled and every feature is covered. */
  passed: boolean;
}

export interface RunExtractionSoakOptions {
  provider: LlmProvider;
  runsPerCase: number;
  /** Base seed; each run's seed is derived from it, the case name and the run index (stable when cases are added). */
  seed?: number;
  /** Token budget for cases that do not set their own. Default 160. */
  maxTokens?: number;
  /** Default 1: the soak wants the model to wander over the grammar, not to repeat its likeliest output. */
  temperature?: number;
  /** Default `soakCases`. */
  cases?: SoakCase[];
  /** Called after each case. */
  onCase?: (name: string, stats: SoakCaseStats) => void;
  /** The provider for cases that name another model (`SoakCase.model`); such cases fail without it. */
  providerFor?: (model: NonNullable<SoakCase['model']>) => Promise<LlmProvider>;
}

type Check = (text: string) => string[];

/**
 * Generates under each soak case's compiled grammar with many seeds and checks every completed output
 * independently of the grammar: ajv (+ ajv-formats) for JSON Schema, zod's own parse for zod, a full-match
 * `u`-flag RegExp for regex, `JSON.parse` for any-JSON, the chosen tool's ajv validator for tool calls; JSON
 * outputs are also checked for the whitespace the grammar promised (none for compact, bounded runs for
 * pretty) and, where the case claims `properties-order`, for object keys in `properties` order.
 */
export async function runExtractionSoak(options: RunExtractionSoakOptions): Promise<SoakReport> {
  const cases = options.cases ?? soakCases;
  const report: SoakReport = {
    runs: 0, valid: 0, truncated: 0, invalid: 0, failures: [], perCase: {},
    coverage: Object.fromEntries(Object.keys(soakFeatures).map((f) => [f, []])) as unknown as Record<SoakFeature, string[]>,
    uncovered: [], passed: false,
  };
  let compileFailures = 0;
  for (const c of cases) {
    const maxTokens = c.maxTokens ?? options.maxTokens ?? 160;
    const stats: SoakCaseStats = (report.perCase[c.name] = { runs: 0, valid: 0, truncated: 0, invalid: 0, maxTokens, seconds: 0 });
    const started = performance.now();
    let plan: { gbnf: string; check: Check };
    let provider = options.provider;
    try {
      plan = planSoakCase(c);
      if (c.model !== undefined) {
        if (options.providerFor === undefined) throw new Error(`case needs the ${c.model} model and no providerFor was given`);
        provider = await options.providerFor(c.model);
      }
    } catch (e) {
      stats.error = (e as Error).message;
      compileFailures += 1;
      options.onCase?.(c.name, stats);
      continue;
    }
    const covered = new Set<SoakFeature>();
    for (let i = 0; i < options.runsPerCase; i += 1) {
      const seed = runSeed(options.seed ?? 1, c.name, i);
      const r = await provider.generate({ prompt: 'Output:', grammar: plan.gbnf, maxTokens, temperature: options.temperature ?? 1, seed });
      report.runs += 1;
      stats.runs += 1;
      if (r.finishReason === 'length') {
        report.truncated += 1;
        stats.truncated += 1;
        continue;
      }
      const errors = plan.check(r.text);
      if (errors.length === 0) {
        report.valid += 1;
        stats.valid += 1;
        for (const f of c.features) if (c.evidence?.[f]?.test(r.text) ?? true) covered.add(f);
      } else {
        report.invalid += 1;
        stats.invalid += 1;
        report.failures.push({ case: c.name, seed, output: r.text, errors });
      }
    }
    stats.seconds = (performance.now() - started) / 1000;
    for (const f of covered) report.coverage[f].push(c.name);
    options.onCase?.(c.name, stats);
  }
  report.uncovered = (Object.keys(soakFeatures) as SoakFeature[]).filter((f) => report.coverage[f].length === 0);
  report.passed = report.invalid === 0 && report.uncovered.length === 0 && compileFailures === 0;
  return report;
}

/** FNV-1a of the case name mixed with the base seed and run index: a 31-bit seed. */
function runSeed(base: number, name: string, run: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${base}:${name}:${run}`) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193);
  return (h >>> 0) & 0x7fffffff;
}

function planSoakCase(c: SoakCase): { gbnf: string; check: Check } {
  const t = c.target;
  if (t.kind === 'regex') {
    const re = new RegExp(`^(?:${t.pattern})$`, 'u');
    return { gbnf: fragmentToGrammar(regexToGbnf(t.pattern, { context: 'raw' })), check: (text) => (re.test(text) ? [] : [`does not fully match /${t.pattern}/u`]) };
  }
  const compileOptions: CompileJsonSchemaOptions = c.whitespace === undefined ? {} : { whitespace: c.whitespace };
  const structure = (text: string): string[] => [
    ...whitespaceErrors(text, c.whitespace ?? 'compact'),
    ...(c.features.includes('properties-order') && t.kind === 'json-schema' ? keyOrderErrors(text, t.schema) : []),
  ];
  const jsonCheck = (validate: (value: unknown) => string[]): Check => (text) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return [`not JSON: ${(e as Error).message}`];
    }
    return [...validate(value), ...structure(text)];
  };
  switch (t.kind) {
    case 'json-schema':
      return { gbnf: compileJsonSchema(t.schema, compileOptions).gbnf, check: jsonCheck(createValidator(t.schema)) };
    case 'zod': {
      const schema = t.schema;
      return {
        gbnf: compileZod(schema, compileOptions).gbnf,
        check: jsonCheck((v) => {
          const r = schema.safeParse(v);
          return r.success ? [] : r.error.issues.map((i) => `/${i.path.join('/')} ${i.message}`);
        }),
      };
    }
    case 'any-json':
      return { gbnf: anyJsonGbnf(compileOptions), check: jsonCheck(() => []) };
    case 'tools': {
      const byName = new Map(t.tools.map((tool) => [tool.name, createValidator(tool.parameters)]));
      return {
        gbnf: compileTools(t.tools, compileOptions).gbnf,
        check: jsonCheck((v) => {
          const call = v as { name?: unknown; arguments?: unknown };
          if (typeof v !== 'object' || v === null || Array.isArray(v)) return ['a tool call must be an object'];
          const extra = Object.keys(call).filter((k) => k !== 'name' && k !== 'arguments');
          if (extra.length > 0) return [`unexpected keys ${extra.join(', ')}`];
          const validate = typeof call.name === 'string' ? byName.get(call.name) : undefined;
          return validate === undefined ? [`unknown tool ${JSON.stringify(call.name)}`] : validate(call.arguments);
        }),
      };
    }
  }
}
