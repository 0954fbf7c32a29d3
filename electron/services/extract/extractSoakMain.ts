/**
 * `npm run soak:extract -- [--runs N] [--model file.gguf] [--seed S] [--max-tokens 96] [--no-fast-forward]`:
 * N seeded generations per soak case (11 cases covering every schema feature the compiler enforces, plus
 * zod and regex targets) under the compiled grammar, each output checked by an independent validator
 * (ajv + ajv-formats, zod's parse, a full-match RegExp). Default model: the tiny qwen2 fixture (151,936-token
 * vocabulary). Exits 1 if any output was invalid. Ends with one JSON line.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { LocalLlamaProvider } from '../llm/index.js';
import { runExtractionSoak } from './runExtractionSoak.js';
import { soakCases } from './soakCases.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '250' },
    model: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'max-tokens': { type: 'string', default: '96' },
    'no-fast-forward': { type: 'boolean', default: false },
  },
});
const modelPath = path.resolve(values.model ?? fixturePaths.chatGguf);
const provider = await LocalLlamaProvider.create({
  modelPath,
  threads: 2,
  cpuOnly: true,
  contextSize: 256,
  grammarFastForward: !values['no-fast-forward'],
});
const started = performance.now();
const report = await runExtractionSoak({ provider, runsPerCase: Number(values.runs), seed: Number(values.seed), maxTokens: Number(values['max-tokens']) });
await provider.dispose();
const seconds = (performance.now() - started) / 1000;
for (const [name, s] of Object.entries(report.perCase)) console.log(`${name}: ${s.valid} valid, ${s.truncated} truncated, ${s.invalid} invalid of ${s.runs}`);
for (const f of report.failures.slice(0, 20)) console.log(`INVALID ${f.case} seed=${f.seed}: ${JSON.stringify(f.output)} — ${f.errors.join('; ')}`);
console.log(
  JSON.stringify({
    soak: 'extract',
    model: path.basename(modelPath),
    cases: soakCases.length,
    runs: report.runs,
    valid: report.valid,
    truncated: report.truncated,
    invalid: report.invalid,
    seconds,
    runsPerSecond: report.runs / seconds,
    fastForward: !values['no-fast-forward'],
    forcedTokens: provider.grammarStats.forcedTokens,
    sampledTokens: provider.grammarStats.sampledTokens,
  }),
);
process.exitCode = report.invalid === 0 ? 0 : 1;
