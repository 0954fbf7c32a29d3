/**
 * `npm run bench:constrain -- [--runs 3] [--tokens 32] [--models qwen05b,llama32k]`: what grammar constraints
 * cost per generated token.
 *
 * On the Qwen2.5-0.5B-shape fixture (151,936-token vocabulary, Q8_0) and the 32k-vocabulary llama-shape
 * fixture, from the same prompt and seeds, interleaved run by run so machine load hits every mode alike:
 * - `unconstrained` — the baseline, measured in this run;
 * - `jsonSchemaNative` / `regexNative` — node-llama-cpp's LlamaCompletion path: llama.cpp samples from the
 *   unconstrained chain, checks the sampled token against the grammar, and filters the whole vocabulary only
 *   when it is rejected;
 * - `jsonSchema` / `regex` — the product path: the same sampling plus forced-text fast-forward
 *   (`GrammarFastForward`): text the grammar forces is fed in one batch without sampling.
 * Reported per mode: median ms per output token end-to-end (whole generation ÷ output tokens, prompt included
 * — the same short prompt in every mode) and steady-state (after the first token), the ratio to unconstrained,
 * the grammar cost per token (constrained − unconstrained ms), and for the fast path the share of forced tokens.
 * Also: grammar compile time (JSON Schema → GBNF, regex → GBNF, and llama.cpp's parse) and one grammar check
 * (`canBeNextToken`) in µs. Needs `npm run fixtures -- --bench` (~0.5 GB). Ends with one JSON line.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { LlamaGrammarEvaluationState, type Token } from 'node-llama-cpp';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { compileJsonSchema, fragmentToGrammar, regexToGbnf } from '../constrain/index.js';
import { GrammarFastForward, LocalLlamaProvider } from '../llm/index.js';
import { createValidator } from './createValidator.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    tokens: { type: 'string', default: '48' },
    models: { type: 'string', default: 'qwen05b,llama32k' },
  },
});
const runs = Number(values.runs);
const tokens = Number(values.tokens);

/** The "plain object schema": fixed keys, all required, no additional properties. */
const plainObject = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 40 },
    age: { type: 'integer', minimum: 0, maximum: 130 },
    email: { type: 'string', maxLength: 60 },
    tags: { type: 'array', items: { type: 'string', maxLength: 12 }, maxItems: 8 },
    notes: { type: 'string' },
  },
  required: ['name', 'age', 'email', 'tags', 'notes'],
  additionalProperties: false,
};
const regex = '[A-Za-z ,.]{10,400}';

const median = (xs: number[]) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function timeCompile(): { jsonSchemaMs: number; regexMs: number } {
  const j: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < 20; i += 1) {
    let t = performance.now();
    compileJsonSchema(plainObject);
    j.push(performance.now() - t);
    t = performance.now();
    fragmentToGrammar(regexToGbnf(regex, { context: 'raw' }));
    r.push(performance.now() - t);
  }
  return { jsonSchemaMs: median(j), regexMs: median(r) };
}

const modes = ['unconstrained', 'jsonSchemaNative', 'jsonSchema', 'regexNative', 'regex'] as const;
type Mode = (typeof modes)[number];

async function benchModel(label: string, modelPath: string) {
  const provider = await LocalLlamaProvider.create({ modelPath, threads: 2, cpuOnly: true, contextSize: 512 });
  const jsonGbnf = compileJsonSchema(plainObject).gbnf;
  const regexGbnf = fragmentToGrammar(regexToGbnf(regex, { context: 'raw' }));
  const setup: Record<Mode, { grammar?: string; grammarFastForward?: boolean }> = {
    unconstrained: {},
    jsonSchemaNative: { grammar: jsonGbnf, grammarFastForward: false },
    jsonSchema: { grammar: jsonGbnf, grammarFastForward: true },
    regexNative: { grammar: regexGbnf, grammarFastForward: false },
    regex: { grammar: regexGbnf, grammarFastForward: true },
  };
  const endToEnd = Object.fromEntries(modes.map((m) => [m, [] as number[]])) as Record<Mode, number[]>;
  const steady = Object.fromEntries(modes.map((m) => [m, [] as number[]])) as Record<Mode, number[]>;
  const forced = { jsonSchema: { forced: 0, sampled: 0 }, regex: { forced: 0, sampled: 0 } };
  const validate = createValidator(plainObject);
  const regexFull = new RegExp(`^(?:${regex})$`, 'u');
  let invalid = 0;
  // llama.cpp's parse of each grammar, and the cost of one grammar check on this vocabulary
  let t = performance.now();
  const parsedJson = await provider.grammar(jsonGbnf);
  const llamaParseMs = { jsonSchema: performance.now() - t, regex: 0 };
  t = performance.now();
  await provider.grammar(regexGbnf);
  llamaParseMs.regex = performance.now() - t;
  const ff = GrammarFastForward.create(provider.llama, provider.llamaModel);
  const state = new LlamaGrammarEvaluationState({ model: provider.llamaModel, grammar: parsedJson });
  const checks = Math.min(20_000, provider.llamaModel.tokens.eos ?? 20_000);
  t = performance.now();
  for (let id = 0; id < checks; id += 1) ff.canBeNext(state, id as Token);
  const checkUs = ((performance.now() - t) * 1000) / checks;
  try {
    // warm-up: first evaluation, grammar parse caches
    for (const m of modes) await provider.generate({ prompt: 'Record:', maxTokens: 4, temperature: 1, seed: 0, ...setup[m] });
    for (let run = 0; run < runs; run += 1) {
      for (const mode of modes) {
        const before = { ...provider.grammarStats };
        const r = await provider.generate({ prompt: 'Record:', maxTokens: tokens, temperature: 1, seed: 1000 + run, ...setup[mode] });
        if (mode === 'jsonSchema' || mode === 'regex') {
          forced[mode].forced += provider.grammarStats.forcedTokens - before.forcedTokens;
          forced[mode].sampled += provider.grammarStats.sampledTokens - before.sampledTokens;
        }
        if (r.finishReason === 'stop' && mode.startsWith('json')) {
          let errors: string[];
          try {
            errors = validate(JSON.parse(r.text));
          } catch (e) {
            errors = [(e as Error).message];
          }
          if (errors.length > 0) invalid += 1;
        }
        if (r.finishReason === 'stop' && mode.startsWith('regex') && !regexFull.test(r.text)) invalid += 1;
        if (r.completionTokens > 0) endToEnd[mode].push(r.durationMs / r.completionTokens);
        if (r.completionTokens > 1) steady[mode].push((r.durationMs - (r.firstTokenMs ?? 0)) / (r.completionTokens - 1));
      }
    }
  } finally {
    await provider.dispose();
  }
  const med = Object.fromEntries(modes.map((m) => [m, median(endToEnd[m])])) as Record<Mode, number>;
  const medSteady = Object.fromEntries(modes.map((m) => [m, median(steady[m])])) as Record<Mode, number>;
  const constrained = modes.filter((m) => m !== 'unconstrained');
  const ratio = Object.fromEntries(constrained.map((m) => [m, med[m] / med.unconstrained]));
  const out = {
    model: label,
    msPerToken: med,
    steadyMsPerToken: medSteady,
    ratio,
    steadyRatio: Object.fromEntries(constrained.map((m) => [m, medSteady[m] / medSteady.unconstrained])),
    grammarMsPerToken: Object.fromEntries(constrained.map((m) => [m, med[m] - med.unconstrained])),
    forcedShare: {
      jsonSchema: forced.jsonSchema.forced / Math.max(1, forced.jsonSchema.forced + forced.jsonSchema.sampled),
      regex: forced.regex.forced / Math.max(1, forced.regex.forced + forced.regex.sampled),
    },
    llamaParseMs,
    grammarCheckUs: checkUs,
    invalidOutputs: invalid,
  };
  console.log(`${label}:`);
  for (const m of modes) {
    const r = m === 'unconstrained' ? '' : ` ×${(ratio[m] ?? 0).toFixed(3)} (steady ×${(medSteady[m] / medSteady.unconstrained).toFixed(3)}), grammar ${(med[m] - med.unconstrained).toFixed(2)} ms/token`;
    console.log(`  ${m.padEnd(17)} ${med[m].toFixed(2)} ms/token end-to-end, ${medSteady[m].toFixed(2)} steady${r}`);
  }
  console.log(
    `  forced (fast-forwarded) share: json ${(out.forcedShare.jsonSchema * 100).toFixed(1)}%, regex ${(out.forcedShare.regex * 100).toFixed(1)}% | one grammar check ${checkUs.toFixed(2)} µs | llama.cpp parse json ${llamaParseMs.jsonSchema.toFixed(2)} ms, regex ${llamaParseMs.regex.toFixed(2)} ms | invalid outputs ${invalid}`,
  );
  return out;
}

const allModels: Record<string, [string, string]> = {
  qwen05b: ['qwen2.5-0.5b-shape-q8_0 (151,936 vocab)', fixturePaths.qwen05bGguf],
  llama32k: ['llama-32k-shape (32,000 vocab)', fixturePaths.llama32kGguf],
};
const models = values.models.split(',').map((k) => {
  const m = allModels[k.trim()];
  if (m === undefined) throw new Error(`unknown model ${k}; one of ${Object.keys(allModels).join(', ')}`);
  return m;
});
const missing = models.filter(([, p]) => !fs.existsSync(p));
if (missing.length > 0) {
  console.error(`Missing bench fixtures: ${missing.map(([, p]) => p).join(', ')}\nRun: npm run fixtures -- --bench`);
  process.exit(1);
}
const compile = timeCompile();
console.log(`compile: json-schema ${compile.jsonSchemaMs.toFixed(3)} ms, regex ${compile.regexMs.toFixed(3)} ms (median of 20)`);
const results = [];
for (const [label, p] of models) results.push(await benchModel(label, p));
console.log(JSON.stringify({ bench: 'constrain', runs, tokens, compileMs: compile, results }));
