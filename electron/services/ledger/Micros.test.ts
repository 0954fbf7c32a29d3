import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Micros } from './Micros.js';
import { priceTokens } from './priceTokens.js';

describe('Micros', () => {
  it('converts USD/token to exact µ$/1M without float error', () => {
    expect(Micros.usdPerTokenToMicrosPer1M(2.5e-6)).toEqual({ value: 2_500_000, exact: true });
    expect(Micros.usdPerTokenToMicrosPer1M(3e-7)).toEqual({ value: 300_000, exact: true });
    expect(Micros.usdPerTokenToMicrosPer1M('1.5e-05')).toEqual({ value: 15_000_000, exact: true });
    // 8e-9 * 1e12 is 8000.000000000001 in floats; the decimal path is exact
    expect(8e-9 * 1e12).not.toBe(8000);
    expect(Micros.usdPerTokenToMicrosPer1M(8e-9)).toEqual({ value: 8000, exact: true });
    expect(Micros.usdPerTokenToMicrosPer1M('0.0000000000015')).toEqual({ value: 2, exact: false }); // 1.5 → 2 half-up
    expect(Micros.usdPerTokenToMicrosPer1M(0)).toEqual({ value: 0, exact: true });
  });

  it('parses decimal strings and rejects junk', () => {
    expect(Micros.parseScaled('12.345', 2)).toEqual({ value: 1235n, exact: false });
    expect(Micros.parseScaled('12.344', 2)).toEqual({ value: 1234n, exact: false });
    expect(Micros.parseScaled('.5', 0)).toEqual({ value: 1n, exact: false });
    expect(Micros.parseScaled('1E+3', 0)).toEqual({ value: 1000n, exact: true });
    for (const bad of ['', '-1', 'abc', '1.2.3', '.', 'e5']) expect(() => Micros.parseScaled(bad, 6)).toThrow(RangeError);
  });

  it('formats micros as an exact USD decimal string', () => {
    expect(Micros.formatUsd(0)).toBe('0.000000');
    expect(Micros.formatUsd(1)).toBe('0.000001');
    expect(Micros.formatUsd(1_234_567)).toBe('1.234567');
    expect(Micros.formatUsd(-5)).toBe('-0.000005');
    expect(Micros.formatUsd(123_456_789_012_345_678n)).toBe('123456789012.345678');
    expect(Micros.fromUsd('2.50')).toBe(2_500_000);
  });

  it('round-trips any integer micro amount through formatUsd/fromUsd', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (m) => Micros.fromUsd(Micros.formatUsd(m)) === m),
      { numRuns: 300, seed: 42 },
    );
  });

  it('rounds half-up exactly once per component', () => {
    expect(Micros.divRoundHalfUp(5n, 10n)).toBe(1n);
    expect(Micros.divRoundHalfUp(4n, 10n)).toBe(0n);
    expect(Micros.divRoundHalfUp(15n, 10n)).toBe(2n);
  });
});

describe('priceTokens', () => {
  const gpt4o = { inputPer1M: 2_500_000, outputPer1M: 10_000_000, cachedInputPer1M: 1_250_000 };

  it('prices hand-computed cases', () => {
    // 1000 prompt × $2.50/1M = $0.0025; 500 completion × $10/1M = $0.005
    expect(priceTokens(gpt4o, { promptTokens: 1000, completionTokens: 500 })).toEqual({
      promptMicros: 2500,
      completionMicros: 5000,
      totalMicros: 7500,
    });
    // 200 of the 1000 prompt tokens cached: 800 × 2.5 + 200 × 1.25 = 2250 µ$
    expect(priceTokens(gpt4o, { promptTokens: 1000, completionTokens: 0, cachedTokens: 200 }).promptMicros).toBe(2250);
    // 1 token × $0.15/1M = 0.15 µ$ → 0; 3 tokens = 0.45 → 0; 4 tokens = 0.6 → 1; 10 tokens = 1.5 → 2
    const mini = { inputPer1M: 150_000, outputPer1M: 600_000, cachedInputPer1M: null };
    expect(priceTokens(mini, { promptTokens: 3, completionTokens: 0 }).promptMicros).toBe(0);
    expect(priceTokens(mini, { promptTokens: 4, completionTokens: 0 }).promptMicros).toBe(1);
    expect(priceTokens(mini, { promptTokens: 10, completionTokens: 0 }).promptMicros).toBe(2);
    // no cached rate: cached tokens billed at the input rate
    expect(priceTokens(mini, { promptTokens: 1_000_000, completionTokens: 1_000_000, cachedTokens: 500_000 })).toEqual({
      promptMicros: 150_000,
      completionMicros: 600_000,
      totalMicros: 750_000,
    });
  });

  it('fast integer path equals the BigInt path for any size', () => {
    const big = (rate: { inputPer1M: number; outputPer1M: number; cachedInputPer1M: number | null }, p: number, c: number, k: number) => {
      const num = BigInt(p - k) * BigInt(rate.inputPer1M) + BigInt(k) * BigInt(rate.cachedInputPer1M ?? rate.inputPer1M);
      const pm = Micros.divRoundHalfUp(num, 1_000_000n);
      const cm = Micros.divRoundHalfUp(BigInt(c) * BigInt(rate.outputPer1M), 1_000_000n);
      return { promptMicros: Number(pm), completionMicros: Number(cm), totalMicros: Number(pm + cm) };
    };
    fc.assert(
      fc.property(
        fc.record({ inputPer1M: fc.nat(200_000_000), outputPer1M: fc.nat(200_000_000), cachedInputPer1M: fc.option(fc.nat(200_000_000), { nil: null }) }),
        fc.nat(2_000_000_000), fc.nat(2_000_000_000), fc.nat(),
        (rate, p, c, k0) => {
          const k = p === 0 ? 0 : k0 % (p + 1);
          expect(priceTokens(rate, { promptTokens: p, completionTokens: c, cachedTokens: k })).toEqual(big(rate, p, c, k));
        },
      ),
      { numRuns: 2000, seed: 3 },
    );
  });

  it('rejects impossible token counts', () => {
    expect(() => priceTokens(gpt4o, { promptTokens: 10, completionTokens: 0, cachedTokens: 11 })).toThrow(RangeError);
    expect(() => priceTokens(gpt4o, { promptTokens: -1, completionTokens: 0 })).toThrow(RangeError);
    expect(() => priceTokens(gpt4o, { promptTokens: 1.5, completionTokens: 0 })).toThrow(RangeError);
  });
});
