import { parseArgs } from 'node:util';
import { AppError } from '../../../shared/errors.js';
import { formatSchemaBenchReport, runSchemaBench } from '../../services/constrain/index.js';
import { LEDGER_USAGE, runLedgerCommand } from '../../services/ledger/index.js';
import type { CliCommand } from '../CliCommand.js';

export const ledgerCommand: CliCommand = {
  path: ['ledger'],
  usage: 'ledger prices|cost|report|expensive|anomalies|compare-local-cloud|budget|alerts|export ... [--json]',
  summary: 'The cost ledger: prices, exact costs, reports, budgets and exports.',
  async run(io) {
    const argv = io.argv.filter((a) => a !== '--json');
    if (argv.length === 0) {
      io.out(LEDGER_USAGE);
      return 1;
    }
    return runLedgerCommand(argv, { dataDir: io.dataDir, json: io.json, out: (s) => io.out(s.replace(/\n$/, '')) });
  },
};

export const schemaBenchCommand: CliCommand = {
  path: ['schema-bench'],
  usage: 'schema-bench <files|dirs> [--engine hearth|node-llama-cpp] [--timeout MS] [--json]',
  summary: 'JSON-Schema grammar conformance on MaskBench files, checked by llama.cpp\'s grammar engine.',
  async run(io) {
    const { values, positionals } = parseArgs({
      args: io.argv,
      allowPositionals: true,
      options: { engine: { type: 'string', default: 'hearth' }, timeout: { type: 'string' }, json: { type: 'boolean' } },
    });
    if (positionals.length === 0) throw new AppError('INVALID_INPUT', 'Give MaskBench files or folders, e.g. schema-bench ../shared/data/jsonschemabench');
    if (values.engine !== 'hearth' && values.engine !== 'node-llama-cpp') throw new AppError('INVALID_INPUT', '--engine must be hearth or node-llama-cpp.');
    const report = await runSchemaBench({
      paths: positionals,
      engine: values.engine,
      ...(values.timeout === undefined ? {} : { timeoutMs: Number(values.timeout) }),
      keepOutcomes: io.json,
    });
    io.out(io.json ? JSON.stringify(report) : formatSchemaBenchReport(report));
    return 0;
  },
};
