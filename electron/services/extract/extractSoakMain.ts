/**
 * `npm run soak:extract -- [--runs N] [--model file.gguf] [--seed S] [--max-tokens 160] [--case TEXT]
 *  [--no-fast-forward]`: N seeded generations per soak case (`soakCases.ts`, covering every feature in
 * `soakFeatures.ts`) under the compiled grammar, each completed output checked by an independent validator
 * (ajv + ajv-formats, zod's parse, a full-match RegExp, JSON.parse) plus whitespace and key-order checks.
 * `--max-tokens` is the budget of cases that do not declare their own. `--case` keeps the cases whose name
 * contains TEXT (for iterating; coverage then only counts those). Default model: the tiny qwen2 fixture.
 * Prints per case runs / valid / truncated / invalid and the feature coverage table; exits 1 on any invalid
 * output, any case that fails to compile, or any feature without a valid completed run. Ends with one JSON line.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { LocalLlamaProvider } from '../llm/index.js';
import { formatSoakReport } from './formatSoakReport.js';
import { runExtractionSoak } from './runExtractionSoak.js';
import { soakCases } from './soakCases.js';
import { soakFeatures } from './soakFeatures.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '60' },
    model: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'max-tokens': { type: 'string', default: '160' },
    case: { type: 'string' },
    'no-fast-forward': { type: 'boolean', default: false },
  },
});
const cases = values.case === undefined ? soakCases : soakCases.filter((c) => c.name.includes(values.case!));
const modelPath = path.resolve(values.model ?? fixturePaths.chatGguf);
const provider = await LocalLlamaProvider.create({
  modelPath,
  threads: 2,
  cpuOnly: true,
  contextSize: 512,
  grammarFastForward: !values['no-fast-forward'],
});
let qwen: LocalLlamaProvider | undefined;
const started = performance.now();
let report;
try {
  report = await runExtractionSoak({
    provider,
    cases,
    runsPerCase: Number(values.runs),
    seed: Number(values.seed),
    maxTokens: Number(values['max-tokens']),
    providerFor: async () => (qwen ??= await LocalLlamaProvider.create({ modelPath: fixturePaths.chatGguf, threads: 2, cpuOnly: true, contextSize: 512 })),
    onCase: (name, s) => process.stderr.write(`${name}: ${s.valid}/${s.truncated}/${s.invalid} of ${s.runs} (${s.seconds.toFixed(1)} s)\n`),
  });
} finally {
  await provider.dispose();
  await qwen?.dispose();
}
const seconds = (performance.now() - started) / 1000;
console.log(formatSoakReport(report));
const features = Object.keys(soakFeatures).length;
console.log(
  JSON.stringify({
    soak: 'extract',
    model: path.basename(modelPath),
    seed: Number(values.seed),
    runsPerCase: Number(values.runs),
    cases: cases.length,
    runs: report.runs,
    valid: report.valid,
    truncated: report.truncated,
    invalid: report.invalid,
    compileErrors: Object.values(report.perCase).filter((s) => s.error !== undefined).length,
    features,
    featuresCovered: features - report.uncovered.length,
    uncovered: report.uncovered,
    passed: report.passed,
    seconds: Math.round(seconds * 10) / 10,
    runsPerSecond: Math.round((report.runs / seconds) * 100) / 100,
    fastForward: !values['no-fast-forward'],
    forcedTokens: provider.grammarStats.forcedTokens,
    sampledTokens: provider.grammarStats.sampledTokens,
  }),
);
process.exitCode = report.passed ? 0 : 1;
