import { useId, useState, type ReactNode } from 'react';
import type { ProviderConfig } from '../../../../shared/schemas/settings.js';
import { api } from '../../api.js';
import { SaveStatusLine } from './SaveStatusLine.js';
import { useSave } from './useSave.js';

type SecretStorage = 'os-keychain' | 'file-key';

export interface ProviderDraft {
  name: string;
  baseUrl: string;
  model: string;
  /** Comma-separated other model names. */
  models: string;
  enabled: boolean;
}

export function draftOf(p: ProviderConfig | null): ProviderDraft {
  return p === null
    ? { name: '', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', models: '', enabled: false }
    : { name: p.name, baseUrl: p.baseUrl, model: p.model, models: p.models.join(', '), enabled: p.enabled };
}

/** A provider id from its name: lower-case slug, made unique against the existing ids. */
export function providerIdFor(name: string, taken: readonly string[]): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 36) || 'provider';
  let id = base;
  for (let i = 2; taken.includes(id) && i < 1000; i += 1) id = `${base}-${i}`;
  return id;
}

/**
 * One OpenAI-compatible provider: its connection fields (saved with the settings) and its API key (sent once to
 * `settings.setProviderKey`, encrypted by main, never read back; only "key stored" comes back).
 */
export function ProviderEditor({
  provider,
  secretStorage,
  onSave,
  onRemove,
  onCancel,
}: {
  /** null: a new provider not saved yet. */
  provider: ProviderConfig | null;
  secretStorage: SecretStorage;
  onSave: (draft: ProviderDraft) => Promise<void>;
  onRemove?: () => Promise<void>;
  onCancel?: () => void;
}): ReactNode {
  const [draft, setDraft] = useState<ProviderDraft>(() => draftOf(provider));
  const [key, setKey] = useState('');
  const save = useSave();
  const keySave = useSave();
  const id = useId();
  const set = <K extends keyof ProviderDraft>(k: K, v: ProviderDraft[K]) => {
    setDraft((d) => ({ ...d, [k]: v }));
    save.reset();
  };
  const title = provider?.name ?? 'New provider';

  return (
    <form
      className="provider"
      aria-label={`Provider ${title}`}
      data-testid="provider"
      onSubmit={(e) => {
        e.preventDefault();
        void save.run(() => onSave(draft));
      }}
    >
      <div className="provider-head">
        <h3>{title}</h3>
        {provider !== null && (
          <span className={provider.enabled ? 'chip good' : 'chip'}>{provider.enabled ? 'Enabled' : 'Disabled'}</span>
        )}
      </div>
      <div className="form-row">
        <label>
          Name
          <input required maxLength={80} value={draft.name} onChange={(e) => set('name', e.target.value)} />
        </label>
        <label className="grow">
          Base URL
          <input type="url" required value={draft.baseUrl} placeholder="https://api.openai.com/v1" onChange={(e) => set('baseUrl', e.target.value)} />
        </label>
      </div>
      <div className="form-row">
        <label>
          Default model
          <input required value={draft.model} onChange={(e) => set('model', e.target.value)} />
        </label>
        <label className="grow">
          Other models (comma-separated)
          <input value={draft.models} placeholder="gpt-4o, o4-mini" onChange={(e) => set('models', e.target.value)} />
        </label>
        <label className="check">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} />
          Enabled
        </label>
      </div>
      <div className="form-row">
        <button type="submit" className="primary" disabled={save.status.state === 'saving'}>
          {provider === null ? 'Add provider' : 'Save provider'}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        {onRemove && (
          <button type="button" className="danger" onClick={() => void save.run(onRemove)}>
            Remove provider
          </button>
        )}
        <SaveStatusLine status={save.status} onDismiss={save.reset} />
      </div>

      {provider !== null && (
        <div className="key-box">
          <div className="form-row">
            <label className="grow" htmlFor={`${id}-key`}>
              API key for {provider.name}
              <input
                id={`${id}-key`}
                type="password"
                autoComplete="off"
                spellCheck={false}
                value={key}
                placeholder={provider.hasKey ? '•••••••• (stored — type to replace)' : 'sk-…'}
                onChange={(e) => {
                  setKey(e.target.value);
                  keySave.reset();
                }}
              />
            </label>
            <button
              type="button"
              disabled={key.trim() === '' || keySave.status.state === 'saving'}
              onClick={() =>
                void keySave.run(async () => {
                  await api['settings.setProviderKey']({ providerId: provider.id, key: key.trim() });
                  setKey('');
                  await onSave(draft);
                })
              }
            >
              Store key
            </button>
            {provider.hasKey && (
              <button
                type="button"
                onClick={() =>
                  void keySave.run(async () => {
                    await api['settings.setProviderKey']({ providerId: provider.id, key: null });
                    await onSave(draft);
                  })
                }
              >
                Remove key
              </button>
            )}
          </div>
          <p className="small key-state" data-testid="key-state">
            {provider.hasKey ? (
              <span className="chip good">✓ Key stored</span>
            ) : (
              <span className="chip">No key stored</span>
            )}{' '}
            {secretStorage === 'os-keychain' ? (
              <span className="muted">Encrypted with your operating system&apos;s keychain. Hearth never shows it again.</span>
            ) : (
              <span className="warn-text">
                ⚠ No OS keychain here: keys are encrypted with a key file in the data folder. That stops casual reading, not
                someone who can copy the whole data folder.
              </span>
            )}
          </p>
          <SaveStatusLine status={keySave.status} savedText="Key updated" onDismiss={keySave.reset} />
        </div>
      )}
    </form>
  );
}
