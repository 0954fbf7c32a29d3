import { describe, expect, it } from 'vitest';
import { LocalCostModel } from './LocalCostModel.js';

describe('LocalCostModel', () => {
  it('laptop default: 28 W for one hour = 28 Wh = $0.0042 at $0.15/kWh', () => {
    expect(new LocalCostModel().costOf(3_600_000)).toEqual({
      energyMwh: 28_000,
      energyMicros: 4200,
      hardwareMicros: 0,
      totalMicros: 4200,
    });
  });

  it('uses class defaults and overrides', () => {
    expect(new LocalCostModel({ deviceClass: 'gpu' }).costOf(60_000).energyMwh).toBe(3333); // 200 W × 1 min = 3.333 Wh
    expect(new LocalCostModel({ deviceClass: 'desktop-cpu', usdPerKwh: '0.30' }).costOf(3_600_000).totalMicros).toBe(19_500);
    expect(new LocalCostModel({ watts: '12.5' }).costOf(3_600_000).energyMwh).toBe(12_500);
  });

  it('rounds energy and cost half-up from exact values', () => {
    // 28 W × 12 s = 336 J = 93.33 mWh → 93; cost 93.33e-6 kWh × $0.15 = 14.0 µ$
    expect(new LocalCostModel().costOf(12_000)).toMatchObject({ energyMwh: 93, energyMicros: 14 });
    // 28 W × 90 ms = 0.7 mWh → 1; cost 0.105 µ$ → 0
    expect(new LocalCostModel().costOf(90)).toMatchObject({ energyMwh: 1, energyMicros: 0 });
  });

  it('adds hardware amortisation: $1000 over 1000 h costs $1 per hour', () => {
    const m = new LocalCostModel({ watts: 0, hardwarePriceUsd: '1000', hardwareLifetimeHours: 1000 });
    expect(m.costOf(3_600_000)).toMatchObject({ energyMicros: 0, hardwareMicros: 1_000_000, totalMicros: 1_000_000 });
    expect(m.costOf(1800)).toMatchObject({ hardwareMicros: 500 });
  });

  it('fast path equals exact BigInt arithmetic, including beyond 2^53', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.nat(5_000_000), fc.nat(2_000_000), fc.nat(1_000_000_000), fc.nat(100_000_000), (mw, priceMicros, ms, hwMicros) => {
        const m = new LocalCostModel({ watts: String(mw / 1000), usdPerKwh: String(priceMicros / 1e6), hardwarePriceUsd: String(hwMicros / 1e6), hardwareLifetimeHours: 1000 });
        const half = (n: bigint, d: bigint) => Number((2n * n + d) / (2n * d));
        const mwMs = BigInt(mw) * BigInt(ms);
        const e = half(mwMs * BigInt(priceMicros), 3_600_000_000_000n);
        const h = half(BigInt(hwMicros) * BigInt(ms), 1000n * 3_600_000n);
        expect(m.costOf(ms)).toEqual({ energyMwh: half(mwMs, 3_600_000n), energyMicros: e, hardwareMicros: h, totalMicros: e + h });
      }),
      { numRuns: 1000, seed: 5 },
    );
  });

  it('rejects nonsense', () => {
    expect(() => new LocalCostModel().costOf(-1)).toThrow(RangeError);
    expect(() => new LocalCostModel({ hardwareLifetimeHours: 0 })).toThrow(RangeError);
  });
});
