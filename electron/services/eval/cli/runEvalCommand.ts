import { readFile } from 'node:fs/promises';
import { AppError } from '../../../../shared/errors.js';
import { analyzeAB } from '../ab/analyzeAB.js';
import { runPromptTests, type Generate } from '../prompttests/index.js';
import {
  bootstrapCi,
  cohensD,
  hedgesG,
  mcnemarTest,
  pairedDz,
  pairedTTest,
  welchTTest,
  wilcoxonSignedRank,
} from '../stats/index.js';

export type EvalCommandOptions = {
  /** Print one JSON document instead of human text (also enabled by a `--json` argument). */
  json: boolean;
  /** Where output lines go (the CLI passes a stdout writer). */
  out: (s: string) => void;
  /** The local model, for `test-prompts`. Without it `test-prompts` exits 2 with a message. */
  generate?: Generate;
};

const USAGE = [
  'usage:',
  '  eval stats welch|paired-t|wilcoxon|mcnemar|bootstrap --a <file> --b <file> [--seed N] [--resamples N] [--method bca|percentile] [--unpaired] [--json]',
  '      files hold one number per line (mcnemar: 0/1 per line, paired by line); blank lines and # comments are skipped',
  '  eval stats ab --a <file> --b <file> [--binary] [--unpaired] [--seed N] [--json]   all applicable tests + CI + summary (B vs A)',
  '  eval test-prompts <file.yaml|file.json> [--json]',
  'exit codes: 0 ok, 1 prompt tests failed, 2 usage or input error',
].join('\n');

/** Bad arguments or an unreadable/invalid number file: exit code 2 with the message. */
class UsageError extends AppError {
  constructor(message: string, readonly argument?: string) {
    super('INVALID_INPUT', message, { details: argument === undefined ? {} : { argument }, retryable: false });
  }
}

function parseFlags(args: string[]): { positional: string[]; flags: Map<string, string | true> } {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const valued = new Set(['--a', '--b', '--seed', '--resamples', '--method']);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--')) {
      const [name, inline] = arg.split('=', 2) as [string, string | undefined];
      if (valued.has(name)) {
        const v = inline ?? args[++i];
        if (v === undefined) throw new UsageError(`${name} needs a value`, name);
        flags.set(name, v);
      } else if (['--json', '--unpaired', '--binary'].includes(name)) flags.set(name, true);
      else throw new UsageError(`unknown option ${name}`, name);
    } else positional.push(arg);
  }
  return { positional, flags };
}

async function readNumbers(file: string, binary: boolean): Promise<number[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
  }
  const values: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const v = binary ? (['1', 'true', 'pass'].includes(line.toLowerCase()) ? 1 : ['0', 'false', 'fail'].includes(line.toLowerCase()) ? 0 : NaN) : Number(line);
    if (!Number.isFinite(v)) throw new UsageError(`${file} line ${i + 1}: expected ${binary ? '0 or 1' : 'a number'}, got "${line}"`, file);
    values.push(v);
  });
  if (values.length === 0) throw new UsageError(`${file} has no values`, file);
  return values;
}

function intFlag(flags: Map<string, string | true>, name: string): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new UsageError(`${name} must be an integer, got ${String(v)}`, name);
  return n;
}

const f = (x: number, digits = 4): string => (Math.abs(x) !== 0 && Math.abs(x) < 1e-4 ? x.toExponential(3) : x.toFixed(digits));

async function runStats(test: string | undefined, flags: Map<string, string | true>, json: boolean, out: (s: string) => void): Promise<number> {
  const aFile = flags.get('--a');
  const bFile = flags.get('--b');
  if (typeof aFile !== 'string' || typeof bFile !== 'string') throw new UsageError('stats needs --a <file> and --b <file>');
  const binary = test === 'mcnemar' || (test === 'ab' && flags.has('--binary'));
  const [a, b] = await Promise.all([readNumbers(aFile, binary), readNumbers(bFile, binary)]);
  let result: Record<string, unknown>;
  let text: string[];
  switch (test) {
    case 'welch': {
      const r = welchTTest(a, b);
      result = { test, ...r, cohensD: cohensD(a, b), hedgesG: hedgesG(a, b), n: [a.length, b.length] };
      text = [`Welch t-test (two-sided): t = ${f(r.t)}, df = ${f(r.df, 2)}, p = ${f(r.p)}`, `mean(a) − mean(b) = ${f(r.meanDifference)}; Cohen's d = ${f(result.cohensD as number, 3)}, Hedges' g = ${f(result.hedgesG as number, 3)}`];
      break;
    }
    case 'paired-t': {
      const r = pairedTTest(a, b);
      result = { test, ...r, dz: pairedDz(a, b), n: a.length };
      text = [`Paired t-test (two-sided): t = ${f(r.t)}, df = ${r.df}, p = ${f(r.p)}`, `mean(a − b) = ${f(r.meanDifference)}; dz = ${f(result.dz as number, 3)}`];
      break;
    }
    case 'wilcoxon': {
      const r = wilcoxonSignedRank(a, b);
      result = { test, ...r };
      text = [`Wilcoxon signed-rank (two-sided, ${r.method}, zeros dropped, no continuity correction): W = ${r.statistic}, p = ${f(r.p)}`, `${r.nUsed} non-zero pairs, ${r.nZero} zero; matched rank-biserial r = ${f(r.rankBiserial, 3)}`];
      break;
    }
    case 'mcnemar': {
      const r = mcnemarTest(a, b);
      result = { test, ...r };
      text = [`McNemar (${r.method === 'exact' ? 'exact binomial' : 'chi-square with continuity correction'}): statistic = ${f(r.statistic)}, p = ${f(r.p)}`, `a only: ${r.aOnly}, b only: ${r.bOnly}, both pass: ${r.bothPass}, both fail: ${r.bothFail}`];
      break;
    }
    case 'bootstrap': {
      const method = flags.get('--method') ?? 'bca';
      if (method !== 'bca' && method !== 'percentile') throw new UsageError(`--method must be bca or percentile`, '--method');
      const seed = intFlag(flags, '--seed') ?? 0;
      const resamples = intFlag(flags, '--resamples');
      const r = bootstrapCi({ a, b, paired: !flags.has('--unpaired'), seed, method, ...(resamples === undefined ? {} : { resamples }) });
      result = { test, paired: !flags.has('--unpaired'), ...r };
      text = [`Bootstrap ${r.method === 'bca' ? 'BCa' : 'percentile'} ${Math.round(r.confidence * 100)}% CI of mean(a) − mean(b): ${f(r.estimate)} [${f(r.low)}, ${f(r.high)}]`, `${r.resamples} resamples, seed ${r.seed}`];
      break;
    }
    case 'ab': {
      const seed = intFlag(flags, '--seed') ?? 0;
      const resamples = intFlag(flags, '--resamples');
      const toSide = (xs: number[]): number[] | boolean[] => (binary ? xs.map((x) => x === 1) : xs);
      const r = analyzeAB({ a: toSide(a), b: toSide(b), paired: !flags.has('--unpaired'), seed, ...(resamples === undefined ? {} : { resamples }) });
      result = { test, ...r };
      text = [r.summary, ...r.tests.map((t) => `  ${t.test}: statistic = ${f(t.statistic)}, p = ${f(t.p)}${t.method ? ` (${t.method})` : ''}`), ...r.skipped.map((x) => `  ${x.test}: undefined (${x.reason})`)];
      break;
    }
    default:
      throw new UsageError(`unknown stats test "${test ?? ''}"`, test);
  }
  if (json) out(JSON.stringify({ ok: true, data: result }));
  else text.forEach((l) => out(l));
  return 0;
}

/**
 * The `eval` command group, transport-free: parses `argv` (after the word "eval"), writes through
 * `out`, and resolves to an exit code (0 ok, 1 prompt tests failed, 2 usage/input error or an
 * undefined statistic). Typed `AppError`s become a message (or `{ok: false, error}` with --json);
 * anything else is rethrown for the CLI's top level to log with its stack.
 */
export async function runEvalCommand(argv: string[], options: EvalCommandOptions): Promise<number> {
  let json = options.json;
  try {
    const { positional, flags } = parseFlags(argv);
    json ||= flags.has('--json');
    const [command, sub] = positional;
    if (command === 'stats') return await runStats(sub, flags, json, options.out);
    if (command === 'test-prompts') {
      if (!sub) throw new UsageError('test-prompts needs a file');
      if (!options.generate) throw new UsageError('test-prompts needs a local model; none is configured');
      let summary = '';
      const report = await runPromptTests(sub, { generate: options.generate, out: (line) => (summary = line) });
      if (json) options.out(JSON.stringify({ ok: true, data: report }));
      else {
        for (const c of report.cases.filter((x) => !x.passed)) {
          options.out(`FAIL ${c.name}: ${c.assertions.filter((a) => !a.pass).map((a) => `${a.type}${a.reason ? ` (${a.reason})` : ''}`).join('; ')}`);
        }
        options.out(summary); // "N passed, N failed", alone on the last line
      }
      return report.failed > 0 ? 1 : 0;
    }
    if (command === 'help' || command === undefined) {
      options.out(USAGE);
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown eval command "${command}"`, command);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    if (json) options.out(JSON.stringify({ ok: false, error: e.toSerialized() }));
    else options.out(`error: ${e.message}${e instanceof UsageError ? `\n${USAGE}` : ''}`);
    return 2;
  }
}
