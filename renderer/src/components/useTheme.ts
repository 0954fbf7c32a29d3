import { useEffect, useSyncExternalStore } from 'react';

export type Theme = 'light' | 'dark';
/** What the user chose: a fixed theme, or follow the operating system. */
export type ThemePreference = Theme | 'system';

const KEY = 'hearth.theme';
const listeners = new Set<() => void>();

function readPreference(): ThemePreference {
  const saved = localStorage.getItem(KEY);
  return saved === 'light' || saved === 'dark' ? saved : 'system';
}

function systemTheme(): Theme {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Remember the preference for this browser profile and tell every `useTheme` user (sidebar toggle, Settings). */
export function setThemePreference(preference: ThemePreference): void {
  if (preference === 'system') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, preference);
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const media = window.matchMedia?.('(prefers-color-scheme: dark)');
  media?.addEventListener?.('change', listener);
  return () => {
    listeners.delete(listener);
    media?.removeEventListener?.('change', listener);
  };
}

/**
 * Light/dark theme: follows the system until the user picks one, then remembers the choice. One module-level
 * store, so the sidebar's toggle and the Settings screen's picker always agree. The preference lives in
 * localStorage (applies before the first call returns, so no flash); Settings also saves it with the app settings.
 */
export function useTheme(): { theme: Theme; preference: ThemePreference; toggle: () => void; setPreference: (p: ThemePreference) => void } {
  const preference = useSyncExternalStore(subscribe, readPreference);
  const system = useSyncExternalStore(subscribe, systemTheme);
  const theme: Theme = preference === 'system' ? system : preference;
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return {
    theme,
    preference,
    toggle: () => setThemePreference(theme === 'dark' ? 'light' : 'dark'),
    setPreference: setThemePreference,
  };
}
