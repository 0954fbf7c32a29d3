import type { ReactNode } from 'react';
import '../../components/components.css';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import type { SaveStatus } from './useSave.js';

/** The outcome of a save next to its button: announced politely to screen readers. */
export function SaveStatusLine({ status, savedText = 'Saved', onDismiss }: { status: SaveStatus; savedText?: string; onDismiss?: () => void }): ReactNode {
  if (status.state === 'error') return <ErrorNotice error={status.error} {...(onDismiss ? { onDismiss } : {})} />;
  return (
    <span className={status.state === 'saved' ? 'status-line good' : 'status-line muted'} role="status" aria-live="polite">
      {status.state === 'saving' ? 'Saving…' : status.state === 'saved' ? `✓ ${savedText}` : ''}
    </span>
  );
}
