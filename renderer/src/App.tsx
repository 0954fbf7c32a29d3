import { useEffect, useState, type ReactNode } from 'react';
import { api } from './api.js';
import { ChatScreen } from './screens/chat/ChatScreen.js';
import { ModelsScreen } from './screens/models/ModelsScreen.js';
import { ExtractionScreen } from './screens/extraction/ExtractionScreen.js';
import { DocumentsScreen } from './screens/documents/DocumentsScreen.js';
import { EvalScreen } from './screens/eval/EvalScreen.js';
import { CostsScreen } from './screens/costs/CostsScreen.js';
import { SettingsScreen } from './screens/settings/SettingsScreen.js';
import { useTheme } from './components/useTheme.js';
import { ErrorNotice } from './components/ErrorNotice.js';

type ScreenId = 'documents' | 'chat' | 'extraction' | 'eval' | 'costs' | 'models' | 'settings';

const SCREENS: { id: ScreenId; label: string; icon: string }[] = [
  { id: 'documents', label: 'Documents', icon: '▤' },
  { id: 'chat', label: 'Chat', icon: '◐' },
  { id: 'extraction', label: 'Extraction', icon: '{}' },
  { id: 'eval', label: 'Eval', icon: '✓' },
  { id: 'costs', label: 'Costs', icon: '$' },
  { id: 'models', label: 'Models', icon: '◆' },
  { id: 'settings', label: 'Settings', icon: '⚙' },
];

function screenFromHash(): ScreenId {
  const id = window.location.hash.replace(/^#\/?/, '');
  return SCREENS.some((s) => s.id === id) ? (id as ScreenId) : 'chat';
}

export function App(): ReactNode {
  const [screen, setScreen] = useState<ScreenId>(screenFromHash);
  const [version, setVersion] = useState<string>('');
  const [offline, setOffline] = useState<boolean | null>(null);
  const [connectionError, setConnectionError] = useState<unknown>(null);
  const { theme, toggle } = useTheme();

  useEffect(() => {
    const onHash = () => setScreen(screenFromHash());
    window.addEventListener('hashchange', onHash);
    // Open the event stream at start-up so no streamed token is missed by a screen that mounts later.
    const off = api.on('progress', () => {});
    api['app.info']({}).then((info) => {
      setVersion(info.version);
      setOffline(info.offline);
    }, setConnectionError);
    return () => {
      window.removeEventListener('hashchange', onHash);
      off();
    };
  }, []);

  // The offline switch lives in Settings; re-read it whenever the user moves between screens.
  useEffect(() => {
    api['app.info']({}).then((info) => setOffline(info.offline), () => {});
  }, [screen]);

  const go = (id: ScreenId) => {
    window.location.hash = `/${id}`;
    setScreen(id);
  };

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ♨
          </span>
          <span>Hearth</span>
        </div>
        <ul>
          {SCREENS.map((s) => (
            <li key={s.id}>
              <button
                type="button"
                className={s.id === screen ? 'nav-item active' : 'nav-item'}
                aria-current={s.id === screen ? 'page' : undefined}
                onClick={() => go(s.id)}
              >
                <span className="nav-icon" aria-hidden="true">
                  {s.icon}
                </span>
                {s.label}
              </button>
            </li>
          ))}
        </ul>
        <div className="sidebar-footer">
          {offline !== null && (
            <span
              className={offline ? 'offline-pill' : 'offline-pill online'}
              data-testid="offline-pill"
              title={offline ? 'Offline: nothing leaves this machine. Cloud providers and downloads are blocked.' : 'Online: enabled cloud providers and approved download hosts can be reached.'}
            >
              ● {offline ? 'Offline' : 'Online'}
            </span>
          )}
          <button type="button" className="ghost" onClick={toggle} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
            {theme === 'dark' ? '☀' : '☾'}
          </button>
          <span className="muted small">{version && `v${version}`}</span>
        </div>
      </nav>
      <main className="content">
        {connectionError !== null && (
          <div className="screen">
            <ErrorNotice error={connectionError} />
          </div>
        )}
        {screen === 'chat' && <ChatScreen onNavigate={(id) => go(id as ScreenId)} />}
        {screen === 'models' && <ModelsScreen />}
        {screen === 'extraction' && <ExtractionScreen onGoToModels={() => go('models')} />}
        {screen === 'documents' && <DocumentsScreen onNavigate={(id) => go(id as ScreenId)} />}
        {screen === 'eval' && <EvalScreen onNavigate={(id) => go(id as ScreenId)} />}
        {screen === 'costs' && <CostsScreen onNavigate={(id) => go(id as ScreenId)} />}
        {screen === 'settings' && <SettingsScreen onNavigate={(id) => go(id as ScreenId)} />}
      </main>
    </div>
  );
}
