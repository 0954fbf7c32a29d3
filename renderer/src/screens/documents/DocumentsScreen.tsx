import type { ReactNode } from 'react';
import { PlaceholderScreen } from '../placeholder/PlaceholderScreen.js';

/** The Documents screen. */
export function DocumentsScreen(_props: { onNavigate: (screen: string) => void }): ReactNode {
  return <PlaceholderScreen title="Documents" screen="documents" />;
}
