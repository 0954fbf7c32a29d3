import { useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';
import type { ChannelOutput } from '../../../../shared/contract/index.js';
import { api } from '../../api.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';

type Price = ChannelOutput<'costs.prices.list'>['prices'][number];

/**
 * The price table (USD per 1M tokens, in force now) with an editor and LiteLLM import. A new price applies from now
 * on: requests already recorded keep the price that was in force when they ran.
 */
export function PricesCard({ prices, onChanged }: { prices: Price[]; onChanged: () => void }): ReactNode {
  const [filter, setFilter] = useState('');
  const [draft, setDraft] = useState({ model: '', provider: 'openai', input: '', output: '', cached: '' });
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (fn: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setMessage(await fn());
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const save = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await api['costs.prices.set']({
        model: draft.model.trim(),
        provider: draft.provider.trim(),
        inputUsdPer1M: draft.input.trim(),
        outputUsdPer1M: draft.output.trim(),
        cachedInputUsdPer1M: draft.cached.trim() === '' ? null : draft.cached.trim(),
      });
      return r.changed ? `Saved the price of ${r.price.model}.` : `${r.price.model} already had exactly this price.`;
    });
  };

  const importFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file === undefined) return;
    void run(async () => {
      const r = await api['costs.prices.importLitellm']({ json: await file.text() });
      return `Imported ${r.imported} price${r.imported === 1 ? '' : 's'} from ${file.name} (${r.unchanged} unchanged, ${r.skipped} skipped).`;
    });
  };

  const edit = (p: Price) =>
    setDraft({ model: p.model, provider: p.provider, input: trim(p.inputUsdPer1M), output: trim(p.outputUsdPer1M), cached: p.cachedInputUsdPer1M === null ? '' : trim(p.cachedInputUsdPer1M) });

  const shown = prices.filter((p) => filter === '' || p.model.toLowerCase().includes(filter.toLowerCase()) || p.provider.toLowerCase().includes(filter.toLowerCase()));

  return (
    <section className="card" aria-labelledby="prices-title" data-testid="prices-card">
      <div className="card-head">
        <h2 id="prices-title">Prices</h2>
        <label className="file-button">
          <span>Import LiteLLM prices…</span>
          <input type="file" accept=".json,application/json" onChange={importFile} disabled={busy} className="sr-only" aria-label="Import LiteLLM price file (model_prices_and_context_window.json)" />
        </label>
      </div>
      <p className="muted small">
        USD per 1M tokens. Cloud requests are priced exactly at the price in force when they ran; local ones by energy. Import LiteLLM's{' '}
        <code>model_prices_and_context_window.json</code> to price hundreds of models at once.
      </p>
      {prices.length > 8 && (
        <label className="price-filter">
          Filter
          <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="model or provider" />
        </label>
      )}
      {prices.length === 0 ? (
        <p className="muted small">No prices yet: local models need none; add the cloud models you use or compare with.</p>
      ) : (
        <div className="table-scroll">
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Provider</th>
                <th scope="col" className="num">Input</th>
                <th scope="col" className="num">Cached input</th>
                <th scope="col" className="num">Output</th>
                <th scope="col">Source</th>
                <th scope="col"><span className="sr-only">Edit</span></th>
              </tr>
            </thead>
            <tbody>
              {shown.slice(0, 200).map((p) => (
                <tr key={`${p.model}/${p.provider}`}>
                  <td className="mono">{p.model}</td>
                  <td>{p.provider}</td>
                  <td className="num">${trim(p.inputUsdPer1M)}</td>
                  <td className="num">{p.cachedInputUsdPer1M === null ? '—' : `$${trim(p.cachedInputUsdPer1M)}`}</td>
                  <td className="num">${trim(p.outputUsdPer1M)}</td>
                  <td className="muted small">{p.source}</td>
                  <td>
                    <button type="button" className="ghost small" onClick={() => edit(p)} aria-label={`Edit the price of ${p.model}`}>
                      Edit
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length > 200 && <p className="muted small">Showing 200 of {shown.length}; filter to find a model.</p>}
        </div>
      )}
      <form className="form-row" onSubmit={save} aria-label="Set a price">
        <label className="grow">
          Model
          <input value={draft.model} onChange={(e) => setDraft({ ...draft, model: e.target.value })} required placeholder="gpt-4o-mini" />
        </label>
        <label>
          Provider
          <input value={draft.provider} onChange={(e) => setDraft({ ...draft, provider: e.target.value })} required size={10} />
        </label>
        <label>
          Input $/1M
          <input value={draft.input} onChange={(e) => setDraft({ ...draft, input: e.target.value })} required inputMode="decimal" size={7} />
        </label>
        <label>
          Cached $/1M
          <input value={draft.cached} onChange={(e) => setDraft({ ...draft, cached: e.target.value })} inputMode="decimal" size={7} placeholder="—" />
        </label>
        <label>
          Output $/1M
          <input value={draft.output} onChange={(e) => setDraft({ ...draft, output: e.target.value })} required inputMode="decimal" size={7} />
        </label>
        <button type="submit" disabled={busy}>
          Save price
        </button>
      </form>
      {message !== null && (
        <p className="muted small" role="status">
          {message}
        </p>
      )}
      {error !== null && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
    </section>
  );
}

/** "2.500000" → "2.5", "10.000000" → "10". */
function trim(usd: string): string {
  return usd.replace(/\.?0+$/, '');
}
