import type Database from 'better-sqlite3';
import { Micros } from './Micros.js';
import { PriceNotFoundError } from './PriceNotFoundError.js';
import { priceTokens, type TokenCost } from './priceTokens.js';

/** A price row: integer µ$ per 1M tokens, in force on `[validFrom, validTo)` (ms since epoch). */
export interface PriceRow {
  model: string;
  provider: string;
  inputPer1M: number;
  outputPer1M: number;
  cachedInputPer1M: number | null;
  maxInputTokens: number | null;
  mode: string | null;
  validFrom: number;
  validTo: number | null;
  source: string;
}

export interface ImportResult {
  /** Models whose price row was inserted (new model, or price changed → previous row closed). */
  imported: number;
  /** Models whose open price row already had exactly these rates. */
  unchanged: number;
  /** Entries skipped with the reason (`sample_spec`, no token prices). */
  skipped: { model: string; reason: string }[];
  /** Prices finer than 1 µ$/1M tokens, rounded half-up (none in LiteLLM's file today). */
  inexact: string[];
}

export interface CostQuery {
  model: string;
  provider?: string;
  promptTokens: number;
  completionTokens: number;
  /** Subset of `promptTokens` served from the provider's prompt cache. Default 0. */
  cachedTokens?: number;
  /** Price at this instant (ms). Default now. */
  at?: number;
}

interface DbPriceRow {
  model: string;
  provider: string;
  input_per_1m_micros: number;
  output_per_1m_micros: number;
  cached_input_per_1m_micros: number | null;
  max_input_tokens: number | null;
  mode: string | null;
  valid_from: number;
  valid_to: number | null;
  source: string;
}

function fromDb(r: DbPriceRow): PriceRow {
  return {
    model: r.model,
    provider: r.provider,
    inputPer1M: r.input_per_1m_micros,
    outputPer1M: r.output_per_1m_micros,
    cachedInputPer1M: r.cached_input_per_1m_micros,
    maxInputTokens: r.max_input_tokens,
    mode: r.mode,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    source: r.source,
  };
}

/** `source@validFrom`: stored on every priced request so a later price change is traceable. */
export function pricingVersionOf(p: PriceRow): string {
  return `${p.source}@${p.validFrom}`;
}

/**
 * The versioned price table. A request is priced at the row in force at its timestamp; importing
 * a changed price closes the open row at the import's `validFrom` instead of overwriting it, so
 * historical costs stay reproducible. Rows are cached in memory per model (invalidated on every
 * write through this object) because pricing sits on the per-request hot path.
 */
export class PriceBook {
  private readonly cache = new Map<string, PriceRow[]>();
  private readonly byModel: Database.Statement<[string], DbPriceRow>;
  private readonly openRow: Database.Statement<[string, string], DbPriceRow>;
  private readonly closeRow: Database.Statement<[number, string, string, number]>;
  private readonly insertRow: Database.Statement;
  private readonly listAt: Database.Statement<[number, number], DbPriceRow>;

  constructor(private readonly db: Database.Database) {
    this.byModel = db.prepare('SELECT * FROM prices WHERE model = ? ORDER BY valid_from DESC, provider');
    this.openRow = db.prepare('SELECT * FROM prices WHERE model = ? AND provider = ? AND valid_to IS NULL');
    this.closeRow = db.prepare(
      'UPDATE prices SET valid_to = ? WHERE model = ? AND provider = ? AND valid_from = ? AND valid_to IS NULL',
    );
    this.insertRow = db.prepare(`INSERT INTO prices (model, provider, input_per_1m_micros, output_per_1m_micros,
      cached_input_per_1m_micros, max_input_tokens, mode, valid_from, valid_to, source)
      VALUES (@model, @provider, @inputPer1M, @outputPer1M, @cachedInputPer1M, @maxInputTokens, @mode, @validFrom, NULL, @source)
      ON CONFLICT (model, provider, valid_from) DO UPDATE SET input_per_1m_micros = excluded.input_per_1m_micros,
        output_per_1m_micros = excluded.output_per_1m_micros, cached_input_per_1m_micros = excluded.cached_input_per_1m_micros,
        max_input_tokens = excluded.max_input_tokens, mode = excluded.mode, valid_to = NULL, source = excluded.source`);
    this.listAt = db.prepare(
      'SELECT * FROM prices WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) ORDER BY model, provider',
    );
  }

  /**
   * Sets the price of `model` from `validFrom` on (default now), closing the currently open row if
   * its rates differ. Returns false when the open row already has exactly these rates.
   */
  setPrice(p: Omit<PriceRow, 'validTo' | 'maxInputTokens' | 'mode' | 'validFrom'> &
    Partial<Pick<PriceRow, 'maxInputTokens' | 'mode' | 'validFrom'>>): boolean {
    const validFrom = p.validFrom ?? Date.now();
    const open = this.openRow.get(p.model, p.provider);
    if (
      open !== undefined &&
      open.input_per_1m_micros === p.inputPer1M &&
      open.output_per_1m_micros === p.outputPer1M &&
      open.cached_input_per_1m_micros === p.cachedInputPer1M
    ) {
      return false;
    }
    if (open !== undefined && open.valid_from < validFrom) {
      this.closeRow.run(validFrom, p.model, p.provider, open.valid_from);
    }
    this.insertRow.run({
      model: p.model,
      provider: p.provider,
      inputPer1M: p.inputPer1M,
      outputPer1M: p.outputPer1M,
      cachedInputPer1M: p.cachedInputPer1M,
      maxInputTokens: p.maxInputTokens ?? null,
      mode: p.mode ?? null,
      validFrom,
      source: p.source,
    });
    this.cache.delete(p.model);
    return true;
  }

  /**
   * Imports LiteLLM's `model_prices_and_context_window.json` (object text or parsed object).
   * Reads `input_cost_per_token`, `output_cost_per_token`, `cache_read_input_token_cost`
   * (USD/token), `litellm_provider`, `max_input_tokens`, `mode`; skips `sample_spec` and entries
   * with neither token price. USD/token floats become exact µ$/1M via their shortest decimal form.
   * One transaction: all or nothing.
   */
  importLiteLLM(
    json: string | Record<string, unknown>,
    options: { validFrom?: number; source?: string } = {},
  ): ImportResult {
    const data = typeof json === 'string' ? (JSON.parse(json) as unknown) : json;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new TypeError('LiteLLM price file must be a JSON object keyed by model name');
    }
    const validFrom = options.validFrom ?? Date.now();
    const source = options.source ?? 'litellm';
    const result: ImportResult = { imported: 0, unchanged: 0, skipped: [], inexact: [] };
    const rate = (model: string, v: unknown): number | null => {
      if (v === undefined || v === null) return null;
      if (typeof v !== 'number' && typeof v !== 'string') throw new TypeError(`${model}: price is not a number`);
      const { value, exact } = Micros.usdPerTokenToMicrosPer1M(v);
      if (!exact) result.inexact.push(model);
      return value;
    };
    this.db.transaction(() => {
      for (const [model, raw] of Object.entries(data as Record<string, unknown>)) {
        if (model === 'sample_spec') {
          result.skipped.push({ model, reason: 'sample_spec' });
          continue;
        }
        if (raw === null || typeof raw !== 'object') {
          result.skipped.push({ model, reason: 'not an object' });
          continue;
        }
        const e = raw as Record<string, unknown>;
        const input = rate(model, e.input_cost_per_token);
        const output = rate(model, e.output_cost_per_token);
        if (input === null && output === null) {
          result.skipped.push({ model, reason: 'no per-token prices' });
          continue;
        }
        const changed = this.setPrice({
          model,
          provider: typeof e.litellm_provider === 'string' ? e.litellm_provider : 'unknown',
          inputPer1M: input ?? 0,
          outputPer1M: output ?? 0,
          cachedInputPer1M: rate(model, e.cache_read_input_token_cost),
          maxInputTokens: typeof e.max_input_tokens === 'number' ? e.max_input_tokens : null,
          mode: typeof e.mode === 'string' ? e.mode : null,
          validFrom,
          source,
        });
        if (changed) result.imported++;
        else result.unchanged++;
      }
    })();
    this.cache.clear();
    return result;
  }

  /** The price row in force for `model` at `at` (ms), or undefined. */
  rateAt(model: string, at: number, provider?: string): PriceRow | undefined {
    let rows = this.cache.get(model);
    if (rows === undefined) {
      rows = this.byModel.all(model).map(fromDb);
      this.cache.set(model, rows);
    }
    return rows.find(
      (r) => r.validFrom <= at && (r.validTo === null || r.validTo > at) && (provider === undefined || r.provider === provider),
    );
  }

  /** Every price row in force at `at` (default now), by model. */
  list(at: number = Date.now()): PriceRow[] {
    return this.listAt.all(at, at).map(fromDb);
  }

  /** Exact cost of a token count at the price in force at `at`; throws `PriceNotFoundError`. */
  costOf(q: CostQuery): TokenCost & { pricingVersion: string } {
    const at = q.at ?? Date.now();
    const row = this.rateAt(q.model, at, q.provider);
    if (row === undefined) throw new PriceNotFoundError(q.model, at);
    return { ...priceTokens(row, q), pricingVersion: pricingVersionOf(row) };
  }
}
