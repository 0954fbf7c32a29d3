import { describe, expect, it } from 'vitest';
import { formatSoakReport } from './formatSoakReport.js';
import { keyOrderErrors } from './keyOrderErrors.js';
import type { SoakReport } from './runExtractionSoak.js';
import { soakCases } from './soakCases.js';
import { soakFeatures, type SoakFeature } from './soakFeatures.js';
import { whitespaceErrors } from './whitespaceErrors.js';

describe('whitespaceErrors', () => {
  it('compact: no whitespace outside strings, any inside', () => {
    expect(whitespaceErrors('{"a b":"x\\" y","c":[1,2]}', 'compact')).toEqual([]);
    expect(whitespaceErrors('{"a": 1}', 'compact')).toHaveLength(1);
    expect(whitespaceErrors('[1,\n2]', 'compact')).toHaveLength(1);
  });

  it('pretty: one space or up to maxNewlines newlines each with at most indent*10 spaces', () => {
    const pretty = { pretty: { indent: 2, maxNewlines: 1 } };
    expect(whitespaceErrors('{\n  "a": [ 1,\n    2 ]\n}', pretty)).toEqual([]);
    expect(whitespaceErrors(`{\n${' '.repeat(20)}"a":1}`, pretty)).toEqual([]);
    for (const bad of ['[ \n]', '[  1]', '[\n\n1]', `[\n${' '.repeat(21)}1]`, '[\t1]']) expect(whitespaceErrors(bad, pretty), bad).toHaveLength(1);
    expect(whitespaceErrors('[\n\n1]', { pretty: { indent: 2, maxNewlines: 2 } })).toEqual([]);
  });
});

describe('keyOrderErrors', () => {
  const schema = { properties: { a: {}, b: { properties: { x: {}, y: {} } }, c: {} } };
  it('accepts keys in properties order, with gaps and extras', () => {
    expect(keyOrderErrors('{"a":1,"b":{"x":1,"y":2},"zz":0,"c":3}', schema)).toEqual([]);
    expect(keyOrderErrors('{"c":3}', schema)).toEqual([]);
  });
  it('reports out-of-order keys, also nested', () => {
    expect(keyOrderErrors('{"c":1,"a":2}', schema)).toHaveLength(1);
    expect(keyOrderErrors('{"a":1,"b":{"y":1,"x":2}}', schema)).toEqual(['/b keys y,x are not in properties order']);
  });
});

describe('soak cases and report', () => {
  it('every feature is claimed by at least one case, and case names are unique', () => {
    const claimed = new Set(soakCases.flatMap((c) => c.features));
    expect((Object.keys(soakFeatures) as SoakFeature[]).filter((f) => !claimed.has(f))).toEqual([]);
    expect(new Set(soakCases.map((c) => c.name)).size).toBe(soakCases.length);
    for (const c of soakCases) for (const f of Object.keys(c.evidence ?? {})) expect(c.features, c.name).toContain(f);
  });

  it('prints per-case counts, the coverage table and invalid outputs', () => {
    const coverage = Object.fromEntries(Object.keys(soakFeatures).map((f) => [f, f === 'enum' ? ['case A'] : []])) as unknown as Record<SoakFeature, string[]>;
    const report: SoakReport = {
      runs: 3, valid: 1, truncated: 1, invalid: 1, passed: false, coverage,
      uncovered: (Object.keys(soakFeatures) as SoakFeature[]).filter((f) => f !== 'enum'),
      failures: [{ case: 'case A', seed: 7, output: '{"a":1}', errors: ['/a must be string'] }],
      perCase: {
        'case A': { runs: 3, valid: 1, truncated: 1, invalid: 1, maxTokens: 160, seconds: 1.25 },
        'case B': { runs: 0, valid: 0, truncated: 0, invalid: 0, maxTokens: 160, seconds: 0, error: 'format "x" is not supported' },
      },
    };
    const text = formatSoakReport(report);
    expect(text).toMatch(/case A\s+3\s+1\s+1\s+1\s+160\s+1\.3/);
    expect(text).toContain('COMPILE ERROR: format "x" is not supported');
    expect(text).toMatch(/^enum\s+1 case\(s\): case A$/m);
    expect(text).toMatch(/^const\s+UNCOVERED$/m);
    expect(text).toContain(`coverage: 1/${Object.keys(soakFeatures).length} features`);
    expect(text).toContain('INVALID case A seed=7: "{\\"a\\":1}" — /a must be string');
  });
});
