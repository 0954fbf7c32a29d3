/**
 * Exact money arithmetic for the ledger. All amounts are integer micro-dollars (µ$, 1e-6 USD);
 * prices are integer micro-dollars per 1,000,000 tokens (µ$/1M), so a price of
 * 2.5e-06 USD/token is 2_500_000 µ$/1M. Floats never touch a stored amount.
 *
 * Rounding rule (the only one in the ledger): half-up (away from zero for the non-negative
 * amounts we deal with), applied ONCE per cost component (prompt, cached, completion are summed
 * as exact rationals into the prompt component, then rounded; completion rounded on its own;
 * total = prompt + completion). This matches computing LiteLLM's float formula in exact decimals
 * and rounding each component to the micro-dollar.
 */
export const Micros = {
  /**
   * Parses a decimal string (`"0.0000025"`, `"2.5e-06"`, `"3E-7"`, `"12"`) into an exact
   * BigInt scaled by 10^scale, rounding half-up if the input has more digits than the scale.
   * Throws on anything that is not a plain finite non-negative decimal.
   */
  parseScaled(text: string, scale: number): { value: bigint; exact: boolean } {
    const m = /^\s*\+?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
    if (m === null || ((m[1] ?? '') === '' && (m[2] ?? '') === '')) {
      throw new RangeError(`not a non-negative decimal number: ${JSON.stringify(text)}`);
    }
    const intPart = m[1] ?? '';
    const frac = m[2] ?? '';
    const exp = Number(m[3] ?? '0');
    let digits = BigInt((intPart + frac).replace(/^0+(?=\d)/, '') || '0');
    // value = digits * 10^(exp - frac.length); we want value * 10^scale
    const shift = exp - frac.length + scale;
    if (shift >= 0) return { value: digits * 10n ** BigInt(shift), exact: true };
    const div = 10n ** BigInt(-shift);
    const q = digits / div;
    const r = digits % div;
    digits = r * 2n >= div ? q + 1n : q;
    return { value: digits, exact: r === 0n };
  },

  /**
   * USD per token (as a JS number or decimal string) → µ$ per 1M tokens, exactly.
   * A JS number is converted through `String(n)`, the shortest decimal that round-trips, which is
   * the literal written in the JSON file for every price LiteLLM ships (e.g. 2.5e-06 → "0.0000025").
   */
  usdPerTokenToMicrosPer1M(usdPerToken: number | string): { value: number; exact: boolean } {
    const text = typeof usdPerToken === 'number' ? numberToDecimalString(usdPerToken) : usdPerToken;
    const { value, exact } = Micros.parseScaled(text, 12);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`price too large: ${text}`);
    return { value: Number(value), exact };
  },

  /** USD decimal string ("5", "0.25") → integer µ$, rounding half-up below one micro-dollar. */
  fromUsd(usd: string | number): number {
    const text = typeof usd === 'number' ? numberToDecimalString(usd) : usd;
    return Number(Micros.parseScaled(text, 6).value);
  },

  /** Exact `num / den` rounded half-up, for non-negative BigInts. */
  divRoundHalfUp(num: bigint, den: bigint): bigint {
    if (den <= 0n || num < 0n) throw new RangeError('divRoundHalfUp expects num >= 0, den > 0');
    const q = num / den;
    return (num % den) * 2n >= den ? q + 1n : q;
  },

  /** Integer µ$ → exact USD decimal string with 6 decimals: 1234567 → "1.234567", -5 → "-0.000005". */
  formatUsd(micros: number | bigint): string {
    const b = BigInt(micros);
    const neg = b < 0n;
    const a = neg ? -b : b;
    const whole = a / 1_000_000n;
    const frac = (a % 1_000_000n).toString().padStart(6, '0');
    return `${neg ? '-' : ''}${whole}.${frac}`;
  },
} as const;

function numberToDecimalString(n: number): string {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`not a finite non-negative number: ${n}`);
  return String(n);
}
