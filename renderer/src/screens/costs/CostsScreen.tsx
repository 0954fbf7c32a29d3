import type { ReactNode } from 'react';
import { PlaceholderScreen } from '../placeholder/PlaceholderScreen.js';

/** The Costs screen. */
export function CostsScreen(_props: { onNavigate: (screen: string) => void }): ReactNode {
  return <PlaceholderScreen title="Costs" screen="costs" />;
}
