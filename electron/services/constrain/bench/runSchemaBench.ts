import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { getLlama, type Llama } from 'node-llama-cpp';
import { AppError } from '../../../../shared/errors.js';
import { GrammarChecker, type CompiledGrammarCheck } from '../check/index.js';
import { compileJsonSchema } from '../jsonSchema/compileJsonSchema.js';
import { lexemeMember, parseLexemeJson, stringifyLexemeJson } from './lexemeJson.js';

export type SchemaBenchEngine = 'hearth' | 'node-llama-cpp';

export interface RunSchemaBenchOptions {
  /** MaskBench files (`{schema, tests:[{valid, data}]}`) or directories of them. */
  paths: string[];
  /** `hearth` = compileJsonSchema; `node-llama-cpp` = its built-in `createGrammarForJsonSchema` (baseline). */
  engine: SchemaBenchEngine;
  /**
   * Per-schema budget for compile + checks (default 10,000 ms). Checked between test instances (the native
   * check is synchronous and cannot be interrupted), so one pathological instance can overrun it.
   */
  timeoutMs?: number;
  /** Called after each schema. */
  onProgress?: (done: number, total: number, file: string) => void;
  /** Keep per-file outcomes in the report (default false; the CLI `--json` turns it on). */
  keepOutcomes?: boolean;
  /**
   * How test instances are serialized; both are compact (no whitespace). `'source'` (default): numbers keep
   * their source lexeme (`12345.0`) and keys their source order, so the checked text is the instance the
   * MaskBench label was computed on — see `lexemeJson.ts`. `'js'`: `JSON.parse` + `JSON.stringify`, as
   * published baselines do; it turns draft-4's non-integer `12345.0` into the integer `12345` and so mislabels
   * 2 schemas as invalidation errors on the shared MaskBench set.
   */
  numberLexemes?: 'js' | 'source';
}

export type SchemaOutcomeKind = 'pass' | 'compile-error' | 'validation-error' | 'invalidation-error' | 'timeout' | 'crash';

export interface SchemaOutcome {
  file: string;
  split: string;
  kind: SchemaOutcomeKind;
  tests: number;
  /** valid instances rejected */
  validRejected: number;
  /** invalid instances accepted */
  invalidAccepted: number;
  compileMs: number;
  /** for compile errors: error code and keyword (`details.keyword`), or the message for crashes */
  errorCode?: string;
  keyword?: string;
  message?: string;
}

export interface SchemaBenchStats {
  schemas: number;
  schemasWithTests: number;
  passing: number;
  passingWithTests: number;
  compileErrors: number;
  compileErrorsByKeyword: Record<string, number>;
  /** schemas with at least one valid instance rejected */
  validationErrors: number;
  /** schemas with at least one invalid instance accepted (the worst failure) */
  invalidationErrors: number;
  timeouts: number;
  crashes: number;
  tests: number;
  validRejected: number;
  invalidAccepted: number;
  compileMs: { p50: number; p95: number; p99: number };
}

export interface SchemaBenchReport {
  engine: SchemaBenchEngine;
  overall: SchemaBenchStats;
  splits: Record<string, SchemaBenchStats>;
  totalMs: number;
  outcomes?: SchemaOutcome[];
}

interface BenchFile {
  schema: unknown;
  tests?: Array<{ valid: boolean; data: unknown }>;
}

/** The split of a MaskBench file: the name prefix before `---`, else the name without a trailing `_N`. */
export function splitOf(file: string): string {
  const base = path.basename(file).replace(/\.json$/, '');
  const dash = base.indexOf('---');
  if (dash >= 0) return base.slice(0, dash);
  return base.replace(/_\d+$/, '');
}

async function expandPaths(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const st = await stat(p);
    if (st.isDirectory()) {
      const names = (await readdir(p)).filter((n) => n.endsWith('.json')).sort();
      out.push(...names.map((n) => path.join(p, n)));
    } else out.push(p);
  }
  return out;
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round(sorted[i]! * 1000) / 1000;
}

function aggregate(outcomes: SchemaOutcome[]): SchemaBenchStats {
  const byKw: Record<string, number> = {};
  const times: number[] = [];
  const s: SchemaBenchStats = {
    schemas: outcomes.length, schemasWithTests: 0, passing: 0, passingWithTests: 0, compileErrors: 0,
    compileErrorsByKeyword: byKw, validationErrors: 0, invalidationErrors: 0, timeouts: 0, crashes: 0, tests: 0,
    validRejected: 0, invalidAccepted: 0, compileMs: { p50: 0, p95: 0, p99: 0 },
  };
  for (const o of outcomes) {
    if (o.tests > 0) s.schemasWithTests++;
    s.tests += o.tests;
    s.validRejected += o.validRejected;
    s.invalidAccepted += o.invalidAccepted;
    if (o.kind === 'pass') {
      s.passing++;
      if (o.tests > 0) s.passingWithTests++;
    }
    if (o.kind === 'compile-error') {
      s.compileErrors++;
      const k = o.keyword ?? o.errorCode ?? 'unknown';
      byKw[k] = (byKw[k] ?? 0) + 1;
    } else times.push(o.compileMs);
    if (o.validRejected > 0) s.validationErrors++;
    if (o.invalidAccepted > 0) s.invalidationErrors++;
    if (o.kind === 'timeout') s.timeouts++;
    if (o.kind === 'crash') s.crashes++;
  }
  times.sort((a, b) => a - b);
  s.compileMs = { p50: percentile(times, 0.5), p95: percentile(times, 0.95), p99: percentile(times, 0.99) };
  return s;
}

/**
 * Runs the MaskBench conformance check: for each schema, compile to GBNF, then every test instance
 * serialized compactly (keeping its source number lexemes unless `numberLexemes: 'js'`) must be accepted iff
 * it is valid. Checks use llama.cpp's own
 * grammar engine through `GrammarChecker`, so a pass means generation with this grammar is exact.
 */
export async function runSchemaBench(options: RunSchemaBenchOptions): Promise<SchemaBenchReport> {
  const files = await expandPaths(options.paths);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const checker = await GrammarChecker.create({ threads: 2 });
  let llama: Llama | undefined;
  const started = performance.now();
  const outcomes: SchemaOutcome[] = [];
  try {
    if (options.engine === 'node-llama-cpp') {
      llama = await getLlama({ gpu: false, build: 'never', maxThreads: 2 });
    }
    for (let fi = 0; fi < files.length; fi++) {
      const file = files[fi]!;
      const raw = await readFile(file, 'utf8');
      const parsed = JSON.parse(raw) as BenchFile;
      const tests = parsed.tests ?? [];
      let texts: string[];
      if ((options.numberLexemes ?? 'source') === 'source') {
        const tree = lexemeMember(parseLexemeJson(raw), 'tests');
        texts = tree?.kind === 'array' ? tree.items.map((t) => stringifyLexemeJson(lexemeMember(t, 'data') ?? { kind: 'scalar', value: null })) : [];
      } else texts = tests.map((t) => JSON.stringify(t.data));
      const outcome: SchemaOutcome = {
        file: path.basename(file), split: splitOf(file), kind: 'pass', tests: tests.length, validRejected: 0,
        invalidAccepted: 0, compileMs: 0,
      };
      const t0 = performance.now();
      let grammar: string | undefined;
      let suffix = '';
      try {
        if (options.engine === 'hearth') {
          grammar = compileJsonSchema(parsed.schema).gbnf;
        } else {
          grammar = (await llama!.createGrammarForJsonSchema(parsed.schema as never)).grammar;
          suffix = '\n\n\n\n';
        }
      } catch (e) {
        outcome.kind = 'compile-error';
        if (e instanceof AppError) {
          outcome.errorCode = e.code;
          const kw = e.details?.keyword;
          outcome.keyword = typeof kw === 'string' ? kw : e.code;
        } else outcome.keyword = 'exception';
        outcome.message = (e as Error).message?.slice(0, 300);
      }
      outcome.compileMs = performance.now() - t0;
      if (grammar !== undefined) {
        let check: CompiledGrammarCheck | undefined;
        try {
          check = checker.compile(grammar);
        } catch (e) {
          outcome.kind = 'crash';
          outcome.message = `grammar rejected by llama.cpp: ${(e as Error).message?.slice(0, 300)}`;
        }
        if (check) {
          for (let ti = 0; ti < tests.length; ti++) {
            const t = tests[ti]!;
            if (performance.now() - t0 > timeoutMs) {
              outcome.kind = 'timeout';
              break;
            }
            const accepted = check.accepts(texts[ti]! + suffix);
            if (t.valid && !accepted) outcome.validRejected++;
            if (!t.valid && accepted) outcome.invalidAccepted++;
          }
          if (outcome.kind === 'pass') {
            if (outcome.invalidAccepted > 0) outcome.kind = 'invalidation-error';
            else if (outcome.validRejected > 0) outcome.kind = 'validation-error';
          }
        }
      }
      outcomes.push(outcome);
      options.onProgress?.(fi + 1, files.length, file);
    }
  } finally {
    await checker.dispose();
    if (llama) await llama.dispose();
  }
  const splits: Record<string, SchemaBenchStats> = {};
  for (const sp of [...new Set(outcomes.map((o) => o.split))].sort()) {
    splits[sp] = aggregate(outcomes.filter((o) => o.split === sp));
  }
  return {
    engine: options.engine,
    overall: aggregate(outcomes),
    splits,
    totalMs: Math.round(performance.now() - started),
    ...(options.keepOutcomes ? { outcomes } : {}),
  };
}
