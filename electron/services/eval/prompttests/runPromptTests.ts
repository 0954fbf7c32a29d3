import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { PromptTemplate } from '../../prompting/index.js';
import { contains, exactMatch, inSet, jsonValid, normalizedMatch, numericTolerance, regexMatch, schemaValid } from '../metrics/index.js';
import { PromptTestFile, type Assertion } from './PromptTestFile.js';
import { PromptTestFileInvalidError } from './PromptTestFileInvalidError.js';

export type Generate = (prompt: string) => Promise<{ text: string; latencyMs: number }>;

export type AssertionResult = { type: Assertion['type']; pass: boolean; reason?: string };

export type PromptCaseResult = {
  name: string;
  vars: Record<string, unknown>;
  prompt: string;
  output: string;
  latencyMs: number;
  passed: boolean;
  assertions: AssertionResult[];
};

export type PromptTestReport = { file: string; passed: number; failed: number; cases: PromptCaseResult[] };

const MAX_CASES = 1000;

/** Parses YAML (a superset of JSON) and validates the shape. */
export function parsePromptTestFile(text: string, file = '<inline>'): PromptTestFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new PromptTestFileInvalidError(file, '', `not valid YAML/JSON: ${(e as Error).message}`, e);
  }
  const r = PromptTestFile.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new PromptTestFileInvalidError(file, issue.path.join('.'), issue.message);
  }
  return r.data;
}

/** Expands entries (vars × matrix) into concrete cases. */
export function expandCases(spec: PromptTestFile, file = '<inline>'): { name: string; vars: Record<string, unknown>; assert: Assertion[] }[] {
  const cases: { name: string; vars: Record<string, unknown>; assert: Assertion[] }[] = [];
  spec.tests.forEach((entry, i) => {
    let combos: Record<string, unknown>[] = [{}];
    for (const [key, values] of Object.entries(entry.matrix ?? {})) {
      combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
      if (combos.length > MAX_CASES) throw new PromptTestFileInvalidError(file, `tests.${i}.matrix`, `expands to more than ${MAX_CASES} cases`);
    }
    for (const combo of combos) {
      const vars = { ...entry.vars, ...combo };
      const label = entry.name ?? (Object.keys(vars).length ? JSON.stringify(vars) : `case ${i + 1}`);
      cases.push({ name: combos.length > 1 && entry.name ? `${entry.name} ${JSON.stringify(combo)}` : label, vars, assert: [...spec.assert, ...entry.assert] });
    }
    if (cases.length > MAX_CASES) throw new PromptTestFileInvalidError(file, 'tests', `more than ${MAX_CASES} cases`);
  });
  return cases;
}

function check(a: Assertion, output: string, latencyMs: number, fill: (s: string) => string): AssertionResult {
  const res = (pass: boolean, reason?: string): AssertionResult => ({ type: a.type, pass, ...(pass || !reason ? {} : { reason }) });
  const show = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);
  switch (a.type) {
    case 'equals':
      return res(exactMatch(output, fill(a.value)).pass, `expected ${show(fill(a.value))}, got ${show(output)}`);
    case 'normalized-equals':
      return res(normalizedMatch(output, fill(a.value)).pass, `expected ~${show(fill(a.value))}, got ${show(output)}`);
    case 'contains':
      return res(contains(output, fill(a.value), { caseSensitive: true }).pass, `missing ${show(fill(a.value))}`);
    case 'icontains':
      return res(contains(output, fill(a.value)).pass, `missing ${show(fill(a.value))} (any case)`);
    case 'not-contains':
      return res(!contains(output, fill(a.value), { caseSensitive: true }).pass, `must not contain ${show(fill(a.value))}`);
    case 'starts-with':
      return res(output.trimStart().startsWith(fill(a.value)), `does not start with ${show(fill(a.value))}`);
    case 'regex':
      return res(regexMatch(output, fill(a.value), a.flags ?? '').pass, `does not match /${fill(a.value)}/`);
    case 'not-regex':
      return res(!regexMatch(output, fill(a.value), a.flags ?? '').pass, `matches /${fill(a.value)}/`);
    case 'in-set':
      return res(inSet(output, a.value.map(fill)).pass, `${show(output)} not in ${JSON.stringify(a.value.map(fill))}`);
    case 'json-valid': {
      const r = jsonValid(output);
      return res(r.pass, r.reason);
    }
    case 'json-schema': {
      const r = schemaValid(output, a.value);
      return res(r.pass, r.reason);
    }
    case 'numeric': {
      const expected = typeof a.value === 'number' ? a.value : Number(fill(a.value));
      if (!Number.isFinite(expected)) throw new RangeError(`numeric assertion: expected value ${String(a.value)} is not a number`);
      const r = numericTolerance(output, expected, { ...(a.abs === undefined ? {} : { abs: a.abs }), ...(a.rel === undefined ? {} : { rel: a.rel }) });
      return res(r.pass, r.reason);
    }
    case 'max-latency-ms':
      return res(latencyMs <= a.value, `${Math.round(latencyMs)} ms > ${a.value} ms`);
    case 'max-length':
      return res(output.length <= a.value, `${output.length} chars > ${a.value}`);
  }
}

/**
 * Runs a prompt unit-test file: renders the prompt per case (missing variables throw
 * `TemplateVariableMissingError`), calls `generate` sequentially (local models serve one request at
 * a time), checks every assertion, then prints exactly one line `N passed, N failed` via `out`
 * (default `console.log`). A `generate` failure aborts the run with that error: an infrastructure
 * fault is not a prompt regression and must not be counted as one.
 */
export async function runPromptTests(
  file: string | { text: string; name?: string },
  options: { generate: Generate; out?: (line: string) => void; signal?: AbortSignal },
): Promise<PromptTestReport> {
  const name = typeof file === 'string' ? file : (file.name ?? '<inline>');
  const text = typeof file === 'string' ? await readFile(file, 'utf8') : file.text;
  const spec = parsePromptTestFile(text, name);
  const template = new PromptTemplate(name, spec.prompt, spec.version);
  const cases: PromptCaseResult[] = [];
  for (const c of expandCases(spec, name)) {
    options.signal?.throwIfAborted();
    const prompt = template.render(c.vars);
    const fill = (s: string) => new PromptTemplate(`${name}#assert`, s).render(c.vars);
    const { text: output, latencyMs } = await options.generate(prompt);
    const assertions = c.assert.map((a) => check(a, output, latencyMs, fill));
    cases.push({ name: c.name, vars: c.vars, prompt, output, latencyMs, passed: assertions.every((a) => a.pass), assertions });
  }
  const passed = cases.filter((c) => c.passed).length;
  const failed = cases.length - passed;
  (options.out ?? console.log)(`${passed} passed, ${failed} failed`);
  return { file: name, passed, failed, cases };
}
