/**
 * `npm run bench:constrain`: what grammar constraints cost per generated token.
 * On the Qwen2.5-0.5B-shape fixture (151,936-token vocabulary, Q8_0) and the 32k-vocabulary llama-shape
 * fixture, it times unconstrained, JSON-schema-constrained and regex-constrained generation from the same
 * prompt, and reports median ms/token and the ratio constrained ÷ unconstrained, measured in this run.
 * Also: grammar compile time. Needs `npm run fixtures -- --bench` (the bench models are ~0.5 GB).
 * Ends with one JSON line.
 */
import fs from 'node:fs';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { compileJsonSchema, fragmentToGrammar, regexToGbnf } from '../constrain/index.js';
import { LocalLlamaProvider } from '../llm/index.js';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] || 5);
const tokens = Number(args[args.indexOf('--tokens') + 1] || 48);

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

async function benchModel(label: string, modelPath: string) {
  const provider = await LocalLlamaProvider.create({ modelPath, threads: 2, cpuOnly: true, contextSize: 512 });
  const grammars = {
    unconstrained: undefined,
    jsonSchema: compileJsonSchema(plainObject).gbnf,
    regex: fragmentToGrammar(regexToGbnf(regex, { context: 'raw' })),
  } as const;
  const msPerToken: Record<string, number[]> = { unconstrained: [], jsonSchema: [], regex: [] };
  try {
    // warm-up: first evaluation, grammar parse caches
    for (const g of Object.values(grammars)) await provider.generate({ prompt: 'Record:', maxTokens: 4, temperature: 1, seed: 0, ...(g ? { grammar: g } : {}) });
    for (let run = 0; run < runs; run += 1) {
      for (const [mode, grammar] of Object.entries(grammars)) {
        const r = await provider.generate({ prompt: 'Record:', maxTokens: tokens, temperature: 1, seed: 1000 + run, ...(grammar ? { grammar } : {}) });
        if (r.completionTokens > 1) msPerToken[mode]!.push((r.durationMs - (r.firstTokenMs ?? 0)) / (r.completionTokens - 1));
      }
    }
  } finally {
    await provider.dispose();
  }
  const med = Object.fromEntries(Object.entries(msPerToken).map(([k, v]) => [k, median(v)])) as Record<keyof typeof grammars, number>;
  const out = {
    model: label,
    msPerToken: med,
    tokensPerSecond: { unconstrained: 1000 / med.unconstrained, jsonSchema: 1000 / med.jsonSchema, regex: 1000 / med.regex },
    ratio: { jsonSchema: med.jsonSchema / med.unconstrained, regex: med.regex / med.unconstrained },
    grammarMsPerToken: { jsonSchema: med.jsonSchema - med.unconstrained, regex: med.regex - med.unconstrained },
  };
  console.log(
    `${label}: unconstrained ${med.unconstrained.toFixed(2)} ms/token | json-schema ${med.jsonSchema.toFixed(2)} (×${out.ratio.jsonSchema.toFixed(3)}) | regex ${med.regex.toFixed(2)} (×${out.ratio.regex.toFixed(3)})`,
  );
  return out;
}

const models: [string, string][] = [
  ['qwen2.5-0.5b-shape-q8_0 (151,936 vocab)', fixturePaths.qwen05bGguf],
  ['llama-32k-shape (32,000 vocab)', fixturePaths.llama32kGguf],
];
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
