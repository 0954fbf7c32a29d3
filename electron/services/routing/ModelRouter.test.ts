import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateComplexity } from './estimateComplexity.js';
import { ModelRouter, type RouterCandidate } from './ModelRouter.js';
import type { Pricer } from './Pricer.js';

/** µ$ per token by model (prompt and completion alike, to keep the arithmetic readable). */
const rates: Record<string, number> = { 'tiny-ctx': 0.1, small: 1, mid: 5, big: 30 };
const pricer: Pricer = { costMicros: (m, p, c) => (rates[m] === undefined ? null : Math.round((p + c) * rates[m]!)) };
const candidates: RouterCandidate[] = [
  { model: 'big', contextSize: 128_000, quality: 0.92 },
  { model: 'mid', contextSize: 8192, quality: 0.75 },
  { model: 'small', contextSize: 2048, quality: 0.55 },
  { model: 'tiny-ctx', contextSize: 64, quality: 0.99 },
];
const hard =
  'Why does this fail? Explain step by step and compare both fixes. Is it O(n^2)? What about 3 * 4 = 12?\n' +
  '```ts\nfunction f(xs: number[]) {\n  return xs.map((x) => x * 2);\n}\n```';

describe('ModelRouter', () => {
  it('picks the cheapest adequate model for an easy prompt, never one whose context is too small', () => {
    const d = new ModelRouter({ candidates, pricer }).route({ prompt: 'Say hi to Ada.', maxTokens: 100 });
    expect(d.model).toBe('small');
    expect(d.meetsBar).toBe(true);
    const tiny = d.candidates.find((c) => c.model === 'tiny-ctx')!;
    expect(tiny).toMatchObject({ fits: false, adequate: false });
    expect(tiny.note).toMatch(/^context 64 </);
    expect(d.reason).toContain('small is the cheapest');
    expect(d.candidates.find((c) => c.model === 'big')!.note).toMatch(/adequate but costs more/);
  });

  it('the tiny-context model IS chosen when the request fits it (it is the cheapest and best)', () => {
    const d = new ModelRouter({ candidates, pricer }).route({ prompt: 'Hi', maxTokens: 8 });
    expect(d.model).toBe('tiny-ctx');
  });

  it('a hard prompt raises the bar past the small model', () => {
    const d = new ModelRouter({ candidates, pricer }).route({ prompt: hard, maxTokens: 200 });
    expect(d.complexity.signals.code).toBe(1);
    expect(d.complexity.signals.reasoning).toBeGreaterThan(0.6);
    expect(d.requiredQuality).toBeGreaterThan(0.55);
    expect(d.model).not.toBe('small');
    const chosen = d.candidates.find((c) => c.model === d.model)!;
    expect(chosen.quality!).toBeGreaterThanOrEqual(d.requiredQuality);
    for (const c of d.candidates) if (c.adequate) expect(c.costMicros!).toBeGreaterThanOrEqual(chosen.costMicros!);
  });

  it('eval results override the configured quality', () => {
    const d = new ModelRouter({ candidates, pricer, qualityOf: (m) => (m === 'small' ? 0.97 : null) }).route({ prompt: hard, maxTokens: 200 });
    expect(d.model).toBe('small');
    expect(d.candidates.find((c) => c.model === 'small')).toMatchObject({ quality: 0.97, qualitySource: 'eval' });
    expect(d.candidates.find((c) => c.model === 'mid')).toMatchObject({ qualitySource: 'configured' });
  });

  it('falls back to the best fitting model (meetsBar false) and refuses when nothing fits', () => {
    const d = new ModelRouter({ candidates, pricer }).route({ prompt: 'x', maxTokens: 100, minQuality: 0.95 });
    expect(d).toMatchObject({ model: 'big', meetsBar: false });
    expect(d.reason).toMatch(/no fitting model meets quality 0.95/);
    expect(() => new ModelRouter({ candidates, pricer }).route({ prompt: 'x', maxTokens: 200_000 })).toThrow(
      expect.objectContaining({ name: 'NoEligibleModelError', details: { neededTokens: 200_001, largestContext: 128_000 } }),
    );
  });

  it('property: the choice always fits, and when it meets the bar no adequate model is cheaper', () => {
    const cand = fc.record({
      model: fc.constantFrom('tiny-ctx', 'small', 'mid', 'big', 'unpriced'),
      contextSize: fc.integer({ min: 16, max: 5000 }),
      quality: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(cand, { minLength: 1, maxLength: 5, selector: (c) => c.model }), fc.string({ maxLength: 300 }), fc.integer({ min: 1, max: 2000 }), (cs, prompt, maxTokens) => {
        const router = new ModelRouter({ candidates: cs.map((c) => (c.quality === undefined ? { model: c.model, contextSize: c.contextSize } : c)), pricer });
        let d;
        try {
          d = router.route({ prompt, maxTokens });
        } catch (e) {
          expect((e as Error).name).toBe('NoEligibleModelError');
          return;
        }
        const chosen = d.candidates.find((c) => c.model === d.model)!;
        expect(chosen.fits).toBe(true);
        expect(chosen.promptTokens + maxTokens).toBeLessThanOrEqual(chosen.contextSize);
        if (d.meetsBar) {
          for (const c of d.candidates) if (c.adequate) expect(c.costMicros ?? Infinity).toBeGreaterThanOrEqual(chosen.costMicros ?? Infinity);
        }
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});

describe('estimateComplexity', () => {
  it('scores each documented signal and stays in [0, 1]', () => {
    const plain = estimateComplexity('Say hello.', 3);
    expect(plain.score).toBeLessThan(0.05);
    expect(estimateComplexity('a', 8000).signals.length).toBe(1);
    expect(estimateComplexity('Why? How? What? When?', 8).signals.questions).toBe(1);
    expect(estimateComplexity('Prove the theorem: \\frac{a}{b} = 2 + 3', 12).signals.math).toBe(1);
    const flat = { type: 'object', properties: { a: { type: 'string' } } };
    const deep = { type: 'object', properties: { a: { type: 'array', items: { type: 'object', properties: { b: { type: 'array', items: { type: 'object', properties: { c: { type: 'string' } } } } } } } } };
    expect(estimateComplexity('x', 1, flat).signals.schemaDepth).toBe(0);
    expect(estimateComplexity('x', 1, deep).signals.schemaDepth).toBe(1);
    const all = estimateComplexity('```code``` why explain compare? ? ? ? prove 1+1=2 \\sum', 9000, deep);
    expect(all.score).toBeCloseTo(1, 5);
  });
});
