import type { ReactNode } from 'react';
import type { ChannelOutput } from '../../../../shared/contract/index.js';
import type { Hardware } from '../../../../shared/schemas/models.js';
import { api } from '../../api.js';
import { formatBytes } from '../../components/format.js';
import { DownloadStatus } from './DownloadStatus.js';
import { hardwareFit } from './hardwareFit.js';
import type { useDownloads } from './useDownloads.js';

type ManifestRow = ChannelOutput<'models.manifest'>[number];

const ROLE: Record<ManifestRow['entry']['role'], string> = { chat: 'Chat & extraction', embedding: 'Embeddings (search)', reranker: 'Re-ranking' };

/** The manifest's models: what each is for, size, license, fit on this machine, and download/continue/cancel. */
export function RecommendedModels({
  rows,
  hardware,
  downloads,
}: {
  rows: ManifestRow[] | null;
  hardware: Hardware | null;
  downloads: ReturnType<typeof useDownloads>;
}): ReactNode {
  if (rows === null) return <p className="muted">Reading the manifest…</p>;
  return (
    <ul className="recommended">
      {rows.map(({ entry, installed, partialBytes }) => {
        const state = downloads.downloads[entry.id];
        const active = state?.phase === 'downloading';
        const size = entry.files.every((f) => f.sizeBytes !== null) ? entry.files.reduce((n, f) => n + (f.sizeBytes ?? 0), 0) : null;
        const pinned = entry.files.every((f) => f.sha256 !== null);
        const fit = hardware === null ? null : hardwareFit(entry.minRamGb, hardware);
        return (
          <li key={entry.id} className="recommended-item" data-testid="manifest-row" aria-label={entry.name}>
            <div className="recommended-main">
              <div className="strong">{entry.name}</div>
              <div className="small muted">{entry.description}</div>
              <div className="badge-row small">
                <span className="chip">{ROLE[entry.role]}</span>
                <span className="chip">{entry.kind.toUpperCase()}</span>
                <span className="chip">{entry.license}</span>
                <span className="chip">{size === null ? `${entry.files.length} file${entry.files.length === 1 ? '' : 's'}, size shown on download` : formatBytes(size)}</span>
                {fit === null ? (
                  <span className="chip">Needs ~{entry.minRamGb} GB RAM · checking this machine…</span>
                ) : (
                  <span className={fit.level === 'good' ? 'chip good' : fit.level === 'tight' ? 'chip warn' : 'chip bad'}>{fit.text}</span>
                )}
                <span className="chip" title="Every file is checked before it gets its final name; a mismatch is deleted.">
                  {pinned ? 'sha256 pinned in manifest' : "sha256 from the server's checksum"}
                </span>
              </div>
              <DownloadStatus state={state} label={entry.name} onDismiss={() => downloads.clear(entry.id)} />
            </div>
            <div className="recommended-actions">
              {installed ? (
                <span className="chip good">✓ Installed · sha256 verified</span>
              ) : active ? (
                <button type="button" onClick={() => void downloads.cancel(entry.id)} aria-label={`Cancel download of ${entry.name}`}>
                  Cancel
                </button>
              ) : (
                <>
                  <button
                    type="button"
                    className="primary"
                    aria-label={`${partialBytes > 0 ? 'Continue' : 'Download'} ${entry.name}`}
                    onClick={() =>
                      void downloads.start(entry.id, async (requestId) => {
                        const { paths } = await api['models.download']({ modelId: entry.id }, { requestId });
                        return `Installed ${paths.length} file${paths.length === 1 ? '' : 's'}, sha256 verified`;
                      })
                    }
                  >
                    {partialBytes > 0 ? 'Continue' : 'Download'}
                  </button>
                  {partialBytes > 0 && <span className="small muted">{formatBytes(partialBytes)} already downloaded</span>}
                </>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
