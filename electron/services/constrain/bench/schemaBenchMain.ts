import { formatSchemaBenchReport } from './formatSchemaBenchReport.js';
import { runSchemaBench, type SchemaBenchEngine } from './runSchemaBench.js';

/**
 * `npm run bench:schema -- <files|dirs> [--json] [--engine hearth|node-llama-cpp] [--timeout ms] [--failures]
 *  [--reserialize]` — prints the table (or the JSON report), and always ends with one JSON summary line.
 * Instances are checked compactly with their source number lexemes by default (`12345.0` stays `12345.0`);
 * `--reserialize` checks `JSON.stringify(JSON.parse(..))` instead, as published baselines do (2 draft-4
 * schemas then show invalidation errors that are artefacts of the re-serialization). `--source-numbers` is
 * accepted for compatibility and is the default.
 */
async function main(argv: string[]): Promise<void> {
  const paths: string[] = [];
  let json = false;
  let failures = false;
  let engine: SchemaBenchEngine = 'hearth';
  let timeoutMs: number | undefined;
  let numberLexemes: 'js' | 'source' = 'source';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (a === '--failures') failures = true;
    else if (a === '--source-numbers') numberLexemes = 'source';
    else if (a === '--reserialize') numberLexemes = 'js';
    else if (a === '--engine') {
      const e = argv[++i];
      if (e !== 'hearth' && e !== 'node-llama-cpp') throw new Error(`--engine must be hearth or node-llama-cpp, got ${e}`);
      engine = e;
    } else if (a === '--timeout') timeoutMs = Number(argv[++i]);
    else paths.push(a);
  }
  if (paths.length === 0) paths.push('/work/shared/data/jsonschemabench');
  const report = await runSchemaBench({
    paths, engine, timeoutMs, numberLexemes, keepOutcomes: json || failures,
    onProgress: (done, total) => {
      if (!json && process.stderr.isTTY && done % 100 === 0) process.stderr.write(`\r${done}/${total}`);
    },
  });
  if (json) process.stdout.write(JSON.stringify(report) + '\n');
  else {
    process.stdout.write(formatSchemaBenchReport(report) + '\n');
    if (failures) {
      for (const o of report.outcomes ?? []) {
        if (o.kind !== 'pass') process.stdout.write(`${o.kind}\t${o.file}\t${o.keyword ?? ''}\tvr=${o.validRejected} ia=${o.invalidAccepted}\t${o.message ?? ''}\n`);
      }
    }
    const o = report.overall;
    process.stdout.write(JSON.stringify({ engine, numberLexemes, schemas: o.schemas, schemasWithTests: o.schemasWithTests, passingWithTests: o.passingWithTests, invalidationErrors: o.invalidationErrors, compileErrors: o.compileErrors, timeouts: o.timeouts, crashes: o.crashes, totalMs: report.totalMs }) + '\n');
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
