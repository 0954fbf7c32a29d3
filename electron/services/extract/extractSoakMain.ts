/**
 * `npm run soak:extract -- [--runs N] [--model file.gguf] [--seed S]`: N seeded generations per soak case under
 * the compiled grammar, each output checked by an independent validator. Exits 1 if any output was invalid.
 * Ends with one JSON line.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { LocalLlamaProvider } from '../llm/index.js';
import { runExtractionSoak } from './runExtractionSoak.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '250' }, model: { type: 'string' }, seed: { type: 'string', default: '1' } } });
const modelPath = path.resolve(values.model ?? fixturePaths.chatGguf);
const provider = await LocalLlamaProvider.create({ modelPath, threads: 2, cpuOnly: true, contextSize: 512 });
const started = performance.now();
const report = await runExtractionSoak({ provider, runsPerCase: Number(values.runs), seed: Number(values.seed), maxTokens: 120 });
await provider.dispose();
for (const [name, s] of Object.entries(report.perCase)) console.log(`${name}: ${s.valid} valid, ${s.truncated} truncated, ${s.invalid} invalid of ${s.runs}`);
for (const f of report.failures.slice(0, 20)) console.log(`INVALID ${f.case} seed=${f.seed}: ${JSON.stringify(f.output)} — ${f.errors.join('; ')}`);
console.log(JSON.stringify({ soak: 'extract', model: path.basename(modelPath), runs: report.runs, valid: report.valid, truncated: report.truncated, invalid: report.invalid, seconds: (performance.now() - started) / 1000 }));
process.exitCode = report.invalid === 0 ? 0 : 1;
