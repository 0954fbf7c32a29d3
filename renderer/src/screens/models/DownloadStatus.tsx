import type { ReactNode } from 'react';
import { ErrorNotice, toAppError } from '../../components/ErrorNotice.js';
import { formatBytes, formatDuration } from '../../components/format.js';
import { ProgressBar } from '../../components/ProgressBar.js';
import type { DownloadState } from './useDownloads.js';

/**
 * Progress of one download (bytes, speed, ETA, then the sha256 check), its result, or its error with the way
 * forward: a blocked host sends the user to Settings; a broken or cancelled download can be continued.
 */
export function DownloadStatus({ state, label, onDismiss }: { state: DownloadState | undefined; label: string; onDismiss: () => void }): ReactNode {
  if (state === undefined) return null;
  if (state.phase === 'downloading') {
    const verifying = state.totalBytes !== null && state.receivedBytes >= state.totalBytes;
    const text = verifying
      ? 'Verifying sha256…'
      : state.receivedBytes === 0
        ? 'Connecting…'
        : `${formatBytes(state.receivedBytes)}${state.totalBytes === null ? '' : ` of ${formatBytes(state.totalBytes)}`} · ${formatBytes(state.bytesPerSecond)}/s${
            state.etaMs === null ? '' : ` · ${formatDuration(state.etaMs)} left`
          }`;
    return (
      <div className="download-status" data-testid="download-progress">
        <ProgressBar value={state.receivedBytes} max={state.totalBytes} label={`Downloading ${label}`} valueText={text} />
        <span className="small muted tabular">{text}</span>
      </div>
    );
  }
  if (state.phase === 'done') {
    return (
      <p className="small good" role="status" data-testid="download-done">
        ✓ {state.message}
      </p>
    );
  }
  const error = toAppError(state.error);
  const host = typeof error.details?.host === 'string' ? error.details.host : null;
  return (
    <div className="download-status">
      <ErrorNotice error={error} onDismiss={onDismiss} />
      {error.code === 'NETWORK_BLOCKED' && (
        <p className="small way-forward" data-testid="download-blocked">
          {error.details?.reason === 'offline'
            ? `Offline mode is on. In Settings, turn it off${host === null ? '' : ` and approve ${host}`}`
            : `${host ?? 'This host'} is not an approved download host. Approve it in Settings`}
          , then press Download again.{' '}
          <a href="#/settings">Open Settings</a>
        </p>
      )}
    </div>
  );
}
