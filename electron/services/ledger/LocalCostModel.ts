import { Micros } from './Micros.js';

/**
 * Device classes and their default sustained package power while generating, in watts.
 * Assumptions (order-of-magnitude, documented so users can override with a measured figure):
 * - `laptop-cpu` 28 W: the base TDP of current mobile CPUs (Intel Core Ultra H / AMD Ryzen HS
 *   "28 W" parts); llama.cpp keeps all cores busy, so sustained draw sits near TDP.
 * - `desktop-cpu` 65 W: the standard desktop TDP class (Intel non-K, Ryzen non-X).
 * - `apple-silicon` 20 W: M-series package power under sustained CPU+GPU inference.
 * - `gpu` 200 W: a mid/high consumer GPU under inference load (board power 160–350 W), host excluded.
 * Energy counts only the device, not the display or the rest of the system.
 */
export const DEVICE_CLASS_WATTS = {
  'laptop-cpu': '28',
  'desktop-cpu': '65',
  'apple-silicon': '20',
  gpu: '200',
} as const;
export type DeviceClass = keyof typeof DEVICE_CLASS_WATTS;

export interface LocalCostConfig {
  /** Default `laptop-cpu`. */
  deviceClass?: DeviceClass;
  /** Measured device power in watts (decimal string or number); overrides the class default. */
  watts?: string | number;
  /** Electricity price, USD per kWh. Default "0.15" (roughly the US residential average). */
  usdPerKwh?: string | number;
  /** Optional hardware amortisation: purchase price in USD spread over `hardwareLifetimeHours`. */
  hardwarePriceUsd?: string | number;
  /** Default 8760 (one year of continuous use; a conservative, i.e. high, hourly rate). */
  hardwareLifetimeHours?: number;
}

export interface LocalCost {
  /** Device energy for the wall time, integer milliwatt-hours (half-up). */
  energyMwh: number;
  /** Electricity cost in µ$, from the exact (unrounded) energy, half-up once. */
  energyMicros: number;
  /** Hardware amortisation in µ$ (0 when no hardware price is configured), half-up once. */
  hardwareMicros: number;
  totalMicros: number;
}

/**
 * Local inference cost = wall time × device power × electricity price (+ hardware price ×
 * wall time / lifetime). All arithmetic is exact integer maths: power in milliwatts, price in
 * µ$/kWh, time in ms, so energy (mWh) = mW·ms / 3.6e6 and cost (µ$) = mW·ms·µ$/kWh / 3.6e12.
 */
export class LocalCostModel {
  readonly milliwatts: bigint;
  readonly microsPerKwh: bigint;
  readonly hardwareMicros: bigint;
  readonly lifetimeHours: bigint;
  readonly label: string;
  private readonly mwNum: number;
  private readonly pricePerKwhNum: number;
  private readonly hwNum: number;
  private readonly lifetimeNum: number;

  constructor(config: LocalCostConfig = {}) {
    const cls = config.deviceClass ?? 'laptop-cpu';
    const watts = config.watts ?? DEVICE_CLASS_WATTS[cls];
    this.milliwatts = Micros.parseScaled(String(watts), 3).value;
    this.microsPerKwh = Micros.parseScaled(String(config.usdPerKwh ?? '0.15'), 6).value;
    this.hardwareMicros =
      config.hardwarePriceUsd === undefined ? 0n : Micros.parseScaled(String(config.hardwarePriceUsd), 6).value;
    const hours = config.hardwareLifetimeHours ?? 8760;
    if (!Number.isSafeInteger(hours) || hours <= 0) throw new RangeError('hardwareLifetimeHours must be a positive integer');
    this.lifetimeHours = BigInt(hours);
    this.mwNum = Number(this.milliwatts);
    this.pricePerKwhNum = Number(this.microsPerKwh);
    this.hwNum = Number(this.hardwareMicros);
    this.lifetimeNum = hours;
    if (![this.mwNum, this.pricePerKwhNum, this.hwNum].every(Number.isSafeInteger)) throw new RangeError('local cost settings out of range');
    this.label = `local:${cls}:${this.milliwatts}mW:${this.microsPerKwh}uUSDkWh:${this.hardwareMicros}/${hours}h`;
  }

  /** Cost of `wallMs` milliseconds of generation on this device. */
  costOf(wallMs: number): LocalCost {
    if (!Number.isFinite(wallMs) || wallMs < 0) throw new RangeError(`wallMs must be >= 0, got ${wallMs}`);
    const msNum = Math.round(wallMs);
    // Fast path: when every product stays below 2^53, doubles hold them exactly.
    const mwMsNum = this.mwNum * msNum;
    if (
      Number.isSafeInteger(mwMsNum) &&
      Number.isSafeInteger(mwMsNum * this.pricePerKwhNum) &&
      Number.isSafeInteger(this.hwNum * msNum)
    ) {
      const energyMwh = divHalfUp(mwMsNum, 3_600_000);
      const energyMicros = divHalfUpBig(mwMsNum * this.pricePerKwhNum, 3_600_000_000_000);
      const hardwareMicros = this.hwNum === 0 ? 0 : divHalfUpBig(this.hwNum * msNum, this.lifetimeNum * 3_600_000);
      return { energyMwh, energyMicros, hardwareMicros, totalMicros: energyMicros + hardwareMicros };
    }
    const ms = BigInt(msNum);
    const mwMs = this.milliwatts * ms;
    const energyMwh = Number(Micros.divRoundHalfUp(mwMs, 3_600_000n));
    const energyMicros = Number(Micros.divRoundHalfUp(mwMs * this.microsPerKwh, 3_600_000_000_000n));
    const hardwareMicros =
      this.hardwareMicros === 0n
        ? 0
        : Number(Micros.divRoundHalfUp(this.hardwareMicros * ms, this.lifetimeHours * 3_600_000n));
    return { energyMwh, energyMicros, hardwareMicros, totalMicros: energyMicros + hardwareMicros };
  }
}

/** Half-up `n / d` for non-negative safe integers (the remainder is exact, so is the result). */
function divHalfUp(n: number, d: number): number {
  const r = n % d;
  return (n - r) / d + (2 * r >= d ? 1 : 0);
}

/** Same as `divHalfUp`, for divisors whose doubled remainder may pass 2^53: compare r >= d − r. */
function divHalfUpBig(n: number, d: number): number {
  const r = n % d;
  return (n - r) / d + (r >= d - r ? 1 : 0);
}
