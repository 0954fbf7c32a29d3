import type { ReactNode } from 'react';
import { PlaceholderScreen } from '../placeholder/PlaceholderScreen.js';

/** The Eval screen. */
export function EvalScreen(_props: { onNavigate: (screen: string) => void }): ReactNode {
  return <PlaceholderScreen title="Eval" screen="eval" />;
}
