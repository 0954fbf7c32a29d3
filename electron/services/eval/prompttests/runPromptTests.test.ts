import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TemplateVariableMissingError } from '../../prompting/index.js';
import { PromptTestFileInvalidError } from './PromptTestFileInvalidError.js';
import { expandCases, parsePromptTestFile, runPromptTests, type Generate } from './runPromptTests.js';

const CAPITALS: Record<string, string> = { France: 'Paris.', Germany: 'Berlin', Chad: "N'Djamena", Peru: 'lima' };
/** A deterministic stand-in for a model: answers capital questions from a table, echoes JSON requests. */
const generate: Generate = async (prompt) => {
  const country = /capital of (\w+)/.exec(prompt)?.[1];
  if (country) return { text: CAPITALS[country] ?? 'unknown', latencyMs: country.length * 10 };
  return { text: '{"name":"Ann","age":"x"}', latencyMs: 5 };
};

const YAML = `
description: capitals
prompt: "What is the capital of {{country}}? One word."
assert:
  - {type: max-latency-ms, value: 100}
tests:
  - vars: {country: France, expected: Paris}
    assert: [{type: normalized-equals, value: "{{expected}}"}]
  - name: capitalised
    matrix: {country: [Germany, Chad, Peru]}
    assert:
      - {type: regex, value: "^[A-Z]"}
      - {type: not-contains, value: unknown}
`;

describe('runPromptTests', () => {
  it('expands the vars matrix, checks assertions and prints exactly "N passed, N failed"', async () => {
    const lines: string[] = [];
    const report = await runPromptTests({ text: YAML, name: 'capitals.yaml' }, { generate, out: (l) => lines.push(l) });
    expect(lines).toEqual(['3 passed, 1 failed']);
    expect(report.cases.map((c) => c.vars.country)).toEqual(['France', 'Germany', 'Chad', 'Peru']);
    expect(report.cases[0]!.prompt).toBe('What is the capital of France? One word.');
    const peru = report.cases[3]!;
    expect(peru.passed).toBe(false);
    expect(peru.assertions.find((a) => !a.pass)).toMatchObject({ type: 'regex', reason: 'does not match /^[A-Z]/' });
    expect(report.cases[2]!.assertions.map((a) => a.type)).toEqual(['max-latency-ms', 'regex', 'not-contains']);
  });

  it('latency assertions use the latency reported by generate', async () => {
    const slow: Generate = async (p) => ({ ...(await generate(p)), latencyMs: 101 });
    const r = await runPromptTests({ text: YAML }, { generate: slow, out: () => {} });
    expect(r.failed).toBe(4);
    expect(r.cases[0]!.assertions[0]).toEqual({ type: 'max-latency-ms', pass: false, reason: '101 ms > 100 ms' });
  });

  it('json-schema and numeric assertions, from a JSON file on disk', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hearth-pt-'));
    try {
      const file = path.join(dir, 'person.json');
      const spec = {
        prompt: 'Extract the person from: {{text}}',
        tests: [
          { vars: { text: 'Ann, 40' }, assert: [{ type: 'json-valid' }, { type: 'json-schema', value: { type: 'object', properties: { age: { type: 'integer' } } } }] },
          { vars: { text: 'x' }, assert: [{ type: 'numeric', value: '{{n}}', abs: 0.1 }], matrix: { n: [0, 5] } },
        ],
      };
      await writeFile(file, JSON.stringify(spec));
      const numbers: Generate = async (p) => (p.endsWith(': x') ? { text: 'about 0.05', latencyMs: 1 } : generate(p));
      const r = await runPromptTests(file, { generate: numbers, out: () => {} });
      expect(r.cases.map((c) => c.passed)).toEqual([false, true, false]);
      expect(r.cases[0]!.assertions[1]!.reason).toMatch(/\/age/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a missing template variable throws TemplateVariableMissingError', async () => {
    const text = 'prompt: "Hi {{who}}"\ntests:\n  - vars: {whom: x}\n';
    await expect(runPromptTests({ text }, { generate, out: () => {} })).rejects.toBeInstanceOf(TemplateVariableMissingError);
  });

  it('invalid files name the offending path', () => {
    try {
      parsePromptTestFile('prompt: x\ntests:\n  - assert: [{type: wat}]\n', 'f.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PromptTestFileInvalidError);
      expect((e as PromptTestFileInvalidError).pointer).toBe('tests.0.assert.0.type');
    }
    expect(() => parsePromptTestFile('prompt: [', 'g.yaml')).toThrow(PromptTestFileInvalidError);
    const big = parsePromptTestFile(`prompt: x\ntests:\n  - matrix: {a: [${Array(40).fill(1).join(',')}], b: [${Array(40).fill(1).join(',')}]}\n`);
    expect(() => expandCases(big)).toThrow(/1000/);
  });

  it('a generate failure aborts the run instead of being counted as a failed case', async () => {
    const boom: Generate = async () => {
      throw new Error('model crashed');
    };
    await expect(runPromptTests({ text: YAML }, { generate: boom, out: () => {} })).rejects.toThrow('model crashed');
  });
});
