import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSchemaBenchReport } from './formatSchemaBenchReport.js';
import { runSchemaBench, splitOf } from './runSchemaBench.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'schema-bench-'));
  const files: Record<string, unknown> = {
    // passes: exact integer range
    'Alpha---a1.json': { schema: { type: 'integer', minimum: 1, maximum: 9 }, tests: [{ valid: true, data: 5 }, { valid: false, data: 10 }] },
    // compile error (uniqueItems) — node-llama-cpp ignores it and accepts the invalid instance
    'Alpha---a2.json': { schema: { type: 'array', uniqueItems: true }, tests: [{ valid: true, data: [1, 2] }, { valid: false, data: [1, 1] }] },
    // deliberately mislabelled test: a valid instance marked invalid → invalidation error for any exact engine
    'Beta_1.json': { schema: { type: 'string' }, tests: [{ valid: false, data: 'x' }] },
    // no tests: passes iff it compiles
    'Beta_2.json': { schema: { type: 'object', properties: { a: { type: 'string' } } } },
  };
  for (const [name, body] of Object.entries(files)) await writeFile(path.join(dir, name), JSON.stringify(body));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runSchemaBench', () => {
  it('splits file names', () => {
    expect(splitOf('/x/Github_easy---o123.json')).toBe('Github_easy');
    expect(splitOf('BFCL_simple_12.json')).toBe('BFCL_simple');
  });

  it('classifies outcomes per split (hearth engine)', async () => {
    const progress: number[] = [];
    const r = await runSchemaBench({ paths: [dir], engine: 'hearth', keepOutcomes: true, onProgress: (d) => progress.push(d) });
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(r.overall.schemas).toBe(4);
    expect(r.overall.schemasWithTests).toBe(3);
    expect(r.overall.passing).toBe(2);
    expect(r.overall.passingWithTests).toBe(1);
    expect(r.overall.compileErrors).toBe(1);
    expect(r.overall.compileErrorsByKeyword).toEqual({ uniqueItems: 1 });
    expect(r.overall.invalidationErrors).toBe(1);
    expect(r.splits.Alpha?.passingWithTests).toBe(1);
    expect(r.splits.Beta?.invalidationErrors).toBe(1);
    const kinds = Object.fromEntries(r.outcomes!.map((o) => [o.file, o.kind]));
    expect(kinds).toEqual({ 'Alpha---a1.json': 'pass', 'Alpha---a2.json': 'compile-error', 'Beta_1.json': 'invalidation-error', 'Beta_2.json': 'pass' });
    const text = formatSchemaBenchReport(r);
    expect(text).toContain('OVERALL');
    expect(text).toContain('uniqueItems=1');
  });

  it('checks instances with their source number lexemes by default; numberLexemes js re-serializes', async () => {
    // draft-4: 12345.0 is not an integer. JSON.parse + JSON.stringify would turn it into the integer 12345.
    const file = path.join(dir, 'lexemes', 'Draft4---n1.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(
      file,
      '{"schema": {"$schema": "http://json-schema.org/draft-04/schema#", "type": "integer"},\n' +
        ' "tests": [{"valid": false, "data": 12345.0}, {"valid": true, "data": 12345}, {"valid": false, "data": {"a": 1.50}}]}',
    );
    const byDefault = await runSchemaBench({ paths: [file], engine: 'hearth', keepOutcomes: true });
    expect(byDefault.outcomes![0]).toMatchObject({ kind: 'pass', tests: 3, validRejected: 0, invalidAccepted: 0 });
    expect(byDefault.overall.invalidationErrors).toBe(0);
    const reserialized = await runSchemaBench({ paths: [file], engine: 'hearth', keepOutcomes: true, numberLexemes: 'js' });
    expect(reserialized.outcomes![0]).toMatchObject({ kind: 'invalidation-error', invalidAccepted: 1 });
  });

  it('runs node-llama-cpp built-in converter as the baseline engine', async () => {
    const r = await runSchemaBench({ paths: [dir], engine: 'node-llama-cpp', keepOutcomes: true });
    const a2 = r.outcomes!.find((o) => o.file === 'Alpha---a2.json')!;
    expect(a2.kind).toBe('invalidation-error'); // it ignores uniqueItems
    expect(r.overall.schemas).toBe(4);
  });
});
