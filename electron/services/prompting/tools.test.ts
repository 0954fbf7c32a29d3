import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateTool } from './dateTool.js';
import { documentSearchTool } from './documentSearchTool.js';
import { evaluateArithmetic } from './evaluateArithmetic.js';
import { ToolInputError } from './ToolInputError.js';

describe('evaluateArithmetic', () => {
  it('follows precedence, associativity and unary rules', () => {
    expect(evaluateArithmetic('1 + 2 * 3')).toBe(7);
    expect(evaluateArithmetic('(1 + 2) * 3')).toBe(9);
    expect(evaluateArithmetic('10 - 4 - 3')).toBe(3);
    expect(evaluateArithmetic('2 ^ 3 ^ 2')).toBe(512);
    expect(evaluateArithmetic('2 ** 3 * 2')).toBe(16);
    expect(evaluateArithmetic('-2 ^ 2')).toBe(-4);
    expect(evaluateArithmetic('2 ^ -1')).toBe(0.5);
    expect(evaluateArithmetic('--3')).toBe(3);
    expect(evaluateArithmetic('7 % 4 + .5 + 1e2')).toBe(103.5);
    expect(evaluateArithmetic('sqrt(16) + max(1, 5, 3) + abs(-2) + PI * 0')).toBe(11);
  });

  it('is not eval: code, property access and unknown names are syntax errors', () => {
    for (const attack of ['process.exit(1)', 'constructor', 'this', '(() => 1)()', '1;2', 'a=1', '__proto__', 'sqrt.constructor("return 1")()', '1,000']) {
      expect(() => evaluateArithmetic(attack), attack).toThrow(ToolInputError);
    }
  });

  it('rejects division by zero, overflow, over-long and over-deep input with ToolInputError', () => {
    expect(() => evaluateArithmetic('1/0')).toThrow(/division by zero/);
    expect(() => evaluateArithmetic('10^400')).toThrow(/not a finite number/);
    expect(() => evaluateArithmetic('1+'.repeat(200) + '1')).toThrow(/longer than/);
    expect(() => evaluateArithmetic('('.repeat(40) + '1' + ')'.repeat(40))).toThrow(/nesting deeper/);
    expect(() => evaluateArithmetic('-'.repeat(40) + '1')).toThrow(/nesting deeper/);
    expect(() => evaluateArithmetic('')).toThrow(/empty/);
  });

  it('property: any string either evaluates to a finite number or throws ToolInputError — nothing else', () => {
    const chars = fc.constantFrom(...'0123456789+-*/%^().,e pisqrtmaxbs_a'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.array(chars, { maxLength: 40 }).map((a) => a.join(''))), (s) => {
        try {
          expect(Number.isFinite(evaluateArithmetic(s))).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(ToolInputError);
        }
      }),
      { numRuns: 2000, seed: 42 },
    );
  });

  it('property: agrees with JS arithmetic on generated well-formed expressions', () => {
    const leaf = fc.integer({ min: 0, max: 99 }).map(String);
    const expr = fc.letrec((tie) => ({
      e: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.tuple(tie('e'), fc.constantFrom('+', '-', '*'), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`)),
    })).e as fc.Arbitrary<string>;
    fc.assert(
      fc.property(expr, (s) => {
        expect(evaluateArithmetic(s)).toBe(new Function(`return ${s}`)() as number); // reference oracle in the test only
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});

describe('dateTool', () => {
  const tool = dateTool({ now: () => Date.parse('2024-02-28T23:30:00Z') });
  const run = (s: string) => tool.run(s, {});
  it('today and day offsets in UTC, across month ends and leap days', async () => {
    expect(await run('today')).toBe('2024-02-28 (Wednesday)');
    expect(await run('today + 2 days')).toBe('2024-03-01 (Friday)');
    expect(await run('add -1 day')).toBe('2024-02-27 (Tuesday)');
    expect(await run('2023-12-31 + 1 day')).toBe('2024-01-01 (Monday)');
    expect(await run('  TODAY - 365 days ')).toBe('2023-02-28 (Tuesday)');
  });
  it('rejects impossible dates and unknown phrases', async () => {
    await expect(run('2023-02-30 + 1 day')).rejects.toThrow(/not a valid calendar date/);
    await expect(run('next tuesday')).rejects.toBeInstanceOf(ToolInputError);
    await expect(run('today + 999999 days')).rejects.toThrow(/offset/);
  });
});

describe('documentSearchTool', () => {
  it('numbers hits with sources, truncates long passages, reports no hits and passes k', async () => {
    const seen: number[] = [];
    const tool = documentSearchTool(
      async (q, k) => {
        seen.push(k);
        return q === 'none' ? [] : [{ text: 'a'.repeat(50), source: 'x.md' }, { text: 'short\n\ntext' }];
      },
      { k: 2, maxCharsPerHit: 10 },
    );
    expect(await tool.run('hello', {})).toBe('[1] (x.md) aaaaaaaaaa…\n[2] short text');
    expect(await tool.run('none', {})).toBe('No matching passages.');
    await expect(tool.run('  ', {})).rejects.toBeInstanceOf(ToolInputError);
    expect(seen).toEqual([2, 2]);
  });
});
