import { useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import type { ResponseCacheStats } from '../../../../shared/schemas/costs.js';
import type { CacheSettings, Settings } from '../../../../shared/schemas/settings.js';
import { api } from '../../api.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { describeThreshold, draftFrom, formatRate, formatUsd, parseCacheDraft, type CacheDraft } from './cacheDraft.js';
import { SaveStatusLine } from './SaveStatusLine.js';
import { useSave } from './useSave.js';
import { SwitchRow } from './SwitchRow.js';

/** The ledger window the stats cover: the last 30 days. */
const WINDOW_MS = 30 * 86_400_000;

/**
 * Settings → Response cache: the semantic switch, similarity threshold and TTL (saved together, validated like main
 * does), what the cache did (entries, hits, hit rate and money saved over the last 30 days from the ledger), and
 * Clear cache behind an inline confirmation.
 */
export function CacheCard({ settings, update }: { settings: Settings; update: (patch: { cache: CacheSettings }) => Promise<void> }): ReactNode {
  const [draft, setDraft] = useState<CacheDraft>(() => draftFrom(settings.cache));
  const [stats, setStats] = useState<ResponseCacheStats | null>(null);
  const [statsError, setStatsError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const [cleared, setCleared] = useState<number | null>(null);
  const save = useSave();
  const clear = useSave();
  const ids = { threshold: useId(), thresholdHelp: useId(), ttl: useId(), ttlHelp: useId() };
  const parsed = parseCacheDraft(draft);
  const errors = parsed.ok ? {} : parsed.errors;
  const thresholdValue = Number(draft.threshold);

  const loadStats = useCallback(async () => {
    try {
      setStats(await api['costs.cacheStats']({ since: Date.now() - WINDOW_MS }));
      setStatsError(null);
    } catch (err) {
      setStatsError(err);
    }
  }, []);
  useEffect(() => {
    void loadStats();
  }, [loadStats]);

  const set = (patch: Partial<CacheDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const hits = stats === null ? 0 : stats.lookups.exactHits + stats.lookups.semanticHits;

  return (
    <form
      className="card cache-card"
      aria-labelledby="cache-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!parsed.ok) return;
        void save.run(async () => {
          await update({ cache: parsed.value });
          await loadStats();
        });
      }}
    >
      <h2 id="cache-title">Response cache</h2>
      <p className="muted small">
        Repeated requests (temperature 0 or a fixed seed) are answered from the cache for free. Exact repeats always hit;
        with the semantic layer on, a reworded question hits too when its meaning is close enough and it keeps the same
        numbers, negations and quoted text. A changed document drops the answers built on it.
      </p>

      <SwitchRow checked={draft.semanticEnabled} onChange={(semanticEnabled) => set({ semanticEnabled })}>
        Reuse answers for reworded questions (semantic cache)
      </SwitchRow>

      <div className="form-row">
        <div className="grow threshold-field">
          <label htmlFor={ids.threshold}>Similarity threshold</label>
          <span className="threshold-inputs">
            <input
              type="range"
              min={0.5}
              max={1}
              step={0.005}
              value={Number.isFinite(thresholdValue) ? Math.min(1, Math.max(0.5, thresholdValue)) : 0.95}
              disabled={!draft.semanticEnabled}
              aria-label="Similarity threshold slider"
              aria-describedby={ids.thresholdHelp}
              onChange={(e) => set({ threshold: e.target.value })}
            />
            <input
              id={ids.threshold}
              className="threshold-number"
              type="number"
              min={0.5}
              max={1}
              step={0.005}
              inputMode="decimal"
              value={draft.threshold}
              disabled={!draft.semanticEnabled}
              aria-invalid={errors.threshold !== undefined}
              aria-describedby={ids.thresholdHelp}
              onChange={(e) => set({ threshold: e.target.value })}
            />
          </span>
        </div>
        <label htmlFor={ids.ttl} className="ttl-field">
          Keep answers for (hours)
          <input
            id={ids.ttl}
            type="number"
            min={1}
            max={8760}
            step="any"
            inputMode="decimal"
            value={draft.ttlHours}
            aria-invalid={errors.ttlHours !== undefined}
            aria-describedby={ids.ttlHelp}
            onChange={(e) => set({ ttlHours: e.target.value })}
          />
        </label>
      </div>
      <p id={ids.thresholdHelp} className={errors.threshold === undefined ? 'small muted help' : 'small bad help'}>
        {errors.threshold ??
          `Higher = fewer but safer reuses; lower = more hits, more risk of answering a different question. Default 0.95. ${describeThreshold(thresholdValue)}`}
      </p>
      <p id={ids.ttlHelp} className={errors.ttlHours === undefined ? 'small muted help' : 'small bad help'}>
        {errors.ttlHours ?? 'New answers expire after this; answers already cached keep their expiry. Default 168 (a week).'}
      </p>
      <div className="form-row">
        <button type="submit" className="primary" disabled={!parsed.ok || save.status.state === 'saving'}>
          Save cache settings
        </button>
        <SaveStatusLine status={save.status} savedText="Cache settings saved" onDismiss={save.reset} />
      </div>

      <h3 className="cache-stats-title">What the cache did</h3>
      {statsError !== null && <ErrorNotice error={statsError} onDismiss={() => setStatsError(null)} />}
      {stats === null ? (
        statsError === null && <p className="muted small">Loading cache statistics…</p>
      ) : (
        <>
          <dl className="cache-stats" aria-label="Cache statistics" data-testid="cache-stats">
            <div>
              <dt>Cached answers</dt>
              <dd data-testid="cache-entries">{stats.entries}</dd>
            </div>
            <div>
              <dt>Hits (exact / reworded)</dt>
              <dd>
                {hits} <span className="muted small">({stats.lookups.exactHits} / {stats.lookups.semanticHits})</span>
              </dd>
            </div>
            <div>
              <dt>Hit rate, last 30 days</dt>
              <dd title={`${stats.ledger.cacheHits} of ${stats.ledger.requests} recorded requests`}>
                {formatRate(stats.ledger.hitRate)} <span className="muted small">of {stats.ledger.requests} requests</span>
              </dd>
            </div>
            <div>
              <dt>Money saved, last 30 days</dt>
              <dd title={`$${stats.ledger.savedUsd}`}>{formatUsd(stats.ledger.savedUsd)}</dd>
            </div>
          </dl>
          <p className="muted small">
            {stats.entries === 0 && hits === 0
              ? 'Nothing cached yet. Ask a question in Chat or run an extraction at temperature 0, then ask it again: the second answer comes from here.'
              : `Semantic layer: ${stats.semanticActive ? `on (${stats.embedderId ?? 'no embedder'})` : stats.embedderId === null ? 'unavailable (no embedder)' : 'off'}.` +
                (stats.lookups.semanticGuarded > 0
                  ? ` ${stats.lookups.semanticGuarded} reworded ${stats.lookups.semanticGuarded === 1 ? 'match was' : 'matches were'} refused because numbers, negations or quotes differed.`
                  : '')}
          </p>
          {stats.lastSemanticError !== null && (
            <p className="small bad" role="alert">
              The semantic layer failed, so only exact repeats are served: {stats.lastSemanticError}
            </p>
          )}
        </>
      )}
      <div className="form-row">
        {confirming ? (
          <div className="confirm-row" role="group" aria-label="Confirm clearing the cache">
            <span className="strong">
              Delete {stats === null ? 'all' : stats.entries} cached {stats?.entries === 1 ? 'answer' : 'answers'}? Hit counts and savings history stay.
            </span>
            <button
              type="button"
              className="danger"
              autoFocus
              onClick={() =>
                void clear.run(async () => {
                  const r = await api['costs.clearCache']({});
                  setCleared(r.removed);
                  setConfirming(false);
                  await loadStats();
                })
              }
            >
              Yes, clear cache
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <>
            <button type="button" className="danger" onClick={() => setConfirming(true)} disabled={clear.status.state === 'saving'}>
              Clear cache…
            </button>
            <button type="button" onClick={() => void loadStats()}>
              Refresh stats
            </button>
          </>
        )}
        <SaveStatusLine status={clear.status} savedText={`Cache cleared (${cleared ?? 0} removed)`} onDismiss={clear.reset} />
      </div>
    </form>
  );
}
