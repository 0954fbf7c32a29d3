import type { ReactNode } from 'react';
import { PlaceholderScreen } from '../placeholder/PlaceholderScreen.js';

/** The Settings screen. */
export function SettingsScreen(_props: { onNavigate: (screen: string) => void }): ReactNode {
  return <PlaceholderScreen title="Settings" screen="settings" />;
}
