import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { z } from 'zod';
import type { ProviderConfig, Settings } from '../../../../shared/schemas/settings.js';
import { api } from '../../api.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { CacheCard } from './CacheCard.js';
import { useTheme, type ThemePreference } from '../../components/useTheme.js';
import { ProviderEditor, providerIdFor, type ProviderDraft } from './ProviderEditor.js';
import { SaveStatusLine } from './SaveStatusLine.js';
import { SwitchRow } from './SwitchRow.js';
import { useSave } from './useSave.js';
import './settings.css';

type SecretStorage = 'os-keychain' | 'file-key';

/** huggingface.co redirects file downloads to these CDNs; the guard checks every redirect target too. */
const HF_HOSTS = ['huggingface.co', 'cas-bridge.xethub.hf.co', 'cdn-lfs.hf.co', 'cdn-lfs-us-1.hf.co'];
type SettingsPatch = Partial<z.input<typeof Settings>>;

const splitList = (text: string): string[] =>
  text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** A host (host or host:port) from what the user typed: a bare host, host:port, or a whole URL. */
export function hostFrom(text: string): string | null {
  const t = text.trim().toLowerCase();
  if (t === '') return null;
  try {
    return new URL(/^[a-z]+:\/\//.test(t) ? t : `https://${t}`).host || null;
  } catch {
    return null;
  }
}

/**
 * Settings: offline mode, providers and their keys, approved download hosts, cost figures, comparison models,
 * the response cache, the metrics endpoint, the data folder and the theme. Each card saves on its own and says whether it worked.
 */
export function SettingsScreen(_props: { onNavigate: (screen: string) => void }): ReactNode {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [secretStorage, setSecretStorage] = useState<SecretStorage>('file-key');
  const [dataDir, setDataDir] = useState('');
  const [loadError, setLoadError] = useState<unknown>(null);

  const refresh = useCallback(async () => {
    try {
      const [got, info] = await Promise.all([api['settings.get']({}), api['app.info']({})]);
      setSettings(got.settings);
      setSecretStorage(got.secretStorage);
      setDataDir(info.dataDir);
    } catch (err) {
      setLoadError(err);
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  /** Send a patch; the stored settings (validated as a whole by main) come back and replace ours. */
  const update = useCallback(async (patch: SettingsPatch) => {
    setSettings(await api['settings.update'](patch));
  }, []);

  return (
    <section className="screen settings" aria-labelledby="settings-title">
      <header className="screen-header">
        <h1 id="settings-title">Settings</h1>
        <p className="muted">Everything here is stored in your data folder. API keys are encrypted and never shown again.</p>
      </header>
      {loadError !== null && <ErrorNotice error={loadError} onDismiss={() => setLoadError(null)} />}
      {settings === null ? (
        loadError === null && <p className="muted">Loading settings…</p>
      ) : (
        <>
          <PrivacyCard settings={settings} update={update} />
          <ProvidersCard settings={settings} secretStorage={secretStorage} update={update} />
          <HostsCard settings={settings} update={update} />
          <CostsCard settings={settings} update={update} />
          <CacheCard settings={settings} update={update} />
          <div className="grid two">
            <DataCard dataDir={dataDir} settings={settings} update={update} />
            <AppearanceCard settings={settings} update={update} />
          </div>
        </>
      )}
    </section>
  );
}

type CardProps = { settings: Settings; update: (patch: SettingsPatch) => Promise<void> };

function PrivacyCard({ settings, update }: CardProps): ReactNode {
  const save = useSave();
  return (
    <div className="card" aria-labelledby="privacy-title">
      <h2 id="privacy-title">Privacy</h2>
      <SwitchRow
        checked={settings.offline}
        disabled={save.status.state === 'saving'}
        onChange={(offline) => void save.run(() => update({ offline }))}
      >
        Offline mode
      </SwitchRow>
      <p className={settings.offline ? 'statement good' : 'statement'} data-testid="offline-statement">
        {settings.offline
          ? 'Offline: nothing leaves this machine. Cloud providers and downloads are blocked.'
          : 'Online: Hearth may connect to enabled providers and approved download hosts, and to nothing else.'}
      </p>
      <SaveStatusLine status={save.status} savedText={settings.offline ? 'Offline mode on' : 'Offline mode off'} onDismiss={save.reset} />
    </div>
  );
}

function ProvidersCard({ settings, secretStorage, update }: CardProps & { secretStorage: SecretStorage }): ReactNode {
  const [adding, setAdding] = useState(false);
  const toConfig = (id: string, d: ProviderDraft, hasKey: boolean): ProviderConfig => ({
    id,
    name: d.name.trim(),
    kind: 'openai-compatible',
    baseUrl: d.baseUrl.trim(),
    model: d.model.trim(),
    models: splitList(d.models),
    enabled: d.enabled,
    hasKey,
  });
  return (
    <div className="card" aria-labelledby="providers-title">
      <h2 id="providers-title">Providers</h2>
      <div className="provider local">
        <div className="provider-head">
          <h3>Local (llama.cpp)</h3>
          <span className="chip good">Always available</span>
        </div>
        <p className="muted small">Runs the model loaded on the Models screen, on this machine. Works offline.</p>
      </div>
      {settings.providers.length === 0 && !adding && (
        <p className="muted">
          No cloud providers. Add an OpenAI-compatible one (OpenAI, Together, a llama-server on your network…) to compare
          or route to it. Offline mode still blocks it until you turn offline mode off.
        </p>
      )}
      {settings.providers.map((p) => (
        <ProviderEditor
          key={p.id}
          provider={p}
          secretStorage={secretStorage}
          onSave={(d) => update({ providers: settings.providers.map((q) => (q.id === p.id ? toConfig(p.id, d, p.hasKey) : q)) })}
          onRemove={async () => {
            if (p.hasKey) await api['settings.setProviderKey']({ providerId: p.id, key: null });
            await update({ providers: settings.providers.filter((q) => q.id !== p.id) });
          }}
        />
      ))}
      {adding ? (
        <ProviderEditor
          provider={null}
          secretStorage={secretStorage}
          onCancel={() => setAdding(false)}
          onSave={async (d) => {
            const id = providerIdFor(d.name, settings.providers.map((p) => p.id));
            await update({ providers: [...settings.providers, toConfig(id, d, false)] });
            setAdding(false);
          }}
        />
      ) : (
        <button type="button" onClick={() => setAdding(true)}>
          + Add OpenAI-compatible provider
        </button>
      )}
    </div>
  );
}

function HostsCard({ settings, update }: CardProps): ReactNode {
  const [text, setText] = useState('');
  const save = useSave();
  const host = hostFrom(text);
  const hosts = settings.approvedDownloadHosts;
  return (
    <div className="card" aria-labelledby="hosts-title">
      <h2 id="hosts-title">Approved download hosts</h2>
      <p className="muted small">
        Model downloads may only come from these hosts (and never while offline mode is on, except from this machine).
        The recommended models come from <code>huggingface.co</code>; its files are served from <code>cas-bridge.xethub.hf.co</code> and{' '}
        <code>cdn-lfs.hf.co</code>.
      </p>
      <ul className="chip-list" aria-label="Approved hosts">
        {hosts.length === 0 && <li className="muted small">None yet.</li>}
        {hosts.map((h) => (
          <li key={h} className="chip">
            <span className="mono">{h}</span>
            <button type="button" aria-label={`Remove ${h}`} onClick={() => void save.run(() => update({ approvedDownloadHosts: hosts.filter((x) => x !== h) }))}>
              ✕
            </button>
          </li>
        ))}
      </ul>
      {HF_HOSTS.some((h) => !hosts.includes(h)) && (
        <button
          type="button"
          onClick={() => void save.run(() => update({ approvedDownloadHosts: [...hosts, ...HF_HOSTS.filter((h) => !hosts.includes(h))] }))}
        >
          Approve Hugging Face ({HF_HOSTS.length} hosts)
        </button>
      )}
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (host === null || hosts.includes(host)) return;
          void save.run(async () => {
            await update({ approvedDownloadHosts: [...hosts, host] });
            setText('');
          });
        }}
      >
        <label className="grow">
          Host or URL to approve
          <input value={text} placeholder="huggingface.co" onChange={(e) => setText(e.target.value)} aria-describedby="host-hint" />
        </label>
        <button type="submit" disabled={host === null || hosts.includes(host)}>
          Approve host
        </button>
        <span id="host-hint" className="small muted">
          {text.trim() !== '' && (host === null ? 'Not a host name.' : hosts.includes(host) ? `${host} is already approved.` : `Will approve ${host}`)}
        </span>
      </form>
      <SaveStatusLine status={save.status} onDismiss={save.reset} />
    </div>
  );
}

function CostsCard({ settings, update }: CardProps): ReactNode {
  const [watts, setWatts] = useState(String(settings.power.deviceWatts));
  const [price, setPrice] = useState(String(settings.power.electricityUsdPerKwh));
  const [hardware, setHardware] = useState(settings.power.hardwareCostUsd === null ? '' : String(settings.power.hardwareCostUsd));
  const [lifetime, setLifetime] = useState(settings.power.hardwareLifetimeHours === null ? '' : String(settings.power.hardwareLifetimeHours));
  const [compare, setCompare] = useState(settings.comparisonModels.join(', '));
  const save = useSave();
  const optional = (s: string) => (s.trim() === '' ? null : Number(s));
  return (
    <form
      className="card"
      aria-labelledby="costs-title"
      onSubmit={(e) => {
        e.preventDefault();
        void save.run(() =>
          update({
            power: { deviceWatts: Number(watts), electricityUsdPerKwh: Number(price), hardwareCostUsd: optional(hardware), hardwareLifetimeHours: optional(lifetime) },
            comparisonModels: splitList(compare),
          }),
        );
      }}
    >
      <h2 id="costs-title">Cost figures</h2>
      <p className="muted small">
        Local requests are costed as device power × time × electricity price (plus hardware wear if you give a price and
        lifetime). A measured wattage beats the default guess.
      </p>
      <div className="form-row">
        <label>
          Device power (W)
          <input type="number" min={1} max={5000} step="any" required value={watts} onChange={(e) => setWatts(e.target.value)} />
        </label>
        <label>
          Electricity ($ per kWh)
          <input type="number" min={0} max={10} step="any" required value={price} onChange={(e) => setPrice(e.target.value)} />
        </label>
        <label>
          Hardware price ($, optional)
          <input type="number" min={0} step="any" value={hardware} onChange={(e) => setHardware(e.target.value)} />
        </label>
        <label>
          Hardware lifetime (hours, optional)
          <input type="number" min={1} step="any" value={lifetime} onChange={(e) => setLifetime(e.target.value)} />
        </label>
      </div>
      <div className="form-row">
        <label className="grow">
          Cloud models to compare against (comma-separated)
          <input value={compare} onChange={(e) => setCompare(e.target.value)} placeholder="gpt-4o-mini, claude-3-5-sonnet-20241022" />
        </label>
      </div>
      <div className="form-row">
        <button type="submit" className="primary" disabled={save.status.state === 'saving'}>
          Save cost figures
        </button>
        <SaveStatusLine status={save.status} onDismiss={save.reset} />
      </div>
    </form>
  );
}

function DataCard({ dataDir, settings, update }: CardProps & { dataDir: string }): ReactNode {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const save = useSave();
  return (
    <div className="card" aria-labelledby="data-title">
      <h2 id="data-title">Data and metrics</h2>
      <label>
        Data folder
        <span className="path-row">
          <input className="mono grow" readOnly value={dataDir} aria-label="Data folder path" onFocus={(e) => e.target.select()} />
          <button
            type="button"
            onClick={() =>
              navigator.clipboard?.writeText(dataDir).then(
                () => setCopied('copied'),
                () => setCopied('failed'),
              ) ?? setCopied('failed')
            }
          >
            Copy path
          </button>
        </span>
      </label>
      <span className="status-line muted" role="status">
        {copied === 'copied' ? '✓ Copied' : copied === 'failed' ? 'Copy failed: select the path and copy it yourself.' : ''}
      </span>
      <SwitchRow checked={settings.metricsEnabled} onChange={(metricsEnabled) => void save.run(() => update({ metricsEnabled }))}>
        Metrics endpoint
      </SwitchRow>
      <p className="muted small">
        {settings.metricsEnabled
          ? 'On: the loopback bridge serves Prometheus metrics at /metrics (this machine only).'
          : 'Off: /metrics answers 404. Turn it on to scrape request counts, latency and cost with Prometheus.'}
      </p>
      <SaveStatusLine status={save.status} onDismiss={save.reset} />
    </div>
  );
}

function AppearanceCard({ settings, update }: CardProps): ReactNode {
  const { preference, setPreference } = useTheme();
  const save = useSave();
  const choose = (p: ThemePreference) => {
    setPreference(p); // applies at once, even if saving fails
    void save.run(() => update({ theme: p }));
  };
  // the stored setting wins over this browser's memory when they disagree (e.g. a fresh profile)
  useEffect(() => {
    if (settings.theme !== 'system' && localStorage.getItem('hearth.theme') === null) setPreference(settings.theme);
  }, [settings.theme, setPreference]);
  return (
    <fieldset className="card" aria-labelledby="appearance-title">
      <h2 id="appearance-title">Appearance</h2>
      <div className="radio-row" role="radiogroup" aria-label="Theme">
        {(['system', 'light', 'dark'] as const).map((p) => (
          <label key={p} className="radio">
            <input type="radio" name="theme" value={p} checked={preference === p} onChange={() => choose(p)} />
            {p === 'system' ? 'Follow the system' : p === 'light' ? 'Light' : 'Dark'}
          </label>
        ))}
      </div>
      <SaveStatusLine status={save.status} savedText="Theme saved" onDismiss={save.reset} />
    </fieldset>
  );
}
