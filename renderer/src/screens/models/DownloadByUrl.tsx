import { useState, type ReactNode } from 'react';
import type { PartialDownload } from '../../../../shared/schemas/models.js';
import { api } from '../../api.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { formatBytes } from '../../components/format.js';
import { DownloadStatus } from './DownloadStatus.js';
import type { useDownloads } from './useDownloads.js';

/** The file name the server side will use when none is given (last URL path segment), for display only. */
function suggestedName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').filter((s) => s !== '').pop() ?? '');
  } catch {
    return '';
  }
}

/**
 * Paste a link (e.g. a Hugging Face `resolve/main/…gguf` URL), optionally its sha256, and download it into the
 * models folder: resumable, verified, and only from hosts approved in Settings. Stopped downloads are listed with
 * their bytes so far and can be continued or discarded.
 */
export function DownloadByUrl({ partials, downloads, onChanged }: { partials: PartialDownload[]; downloads: ReturnType<typeof useDownloads>; onChanged: () => void }): ReactNode {
  const [url, setUrl] = useState('');
  const [sha256, setSha256] = useState('');
  const [fileName, setFileName] = useState('');
  const [discardError, setDiscardError] = useState<unknown>(null);
  const name = fileName.trim() || suggestedName(url.trim());
  const key = `url:${name}`;
  const shaOk = sha256.trim() === '' || /^[0-9a-fA-F]{64}$/.test(sha256.trim());
  const start = (request: { url: string; sha256: string | null; fileName: string }) =>
    downloads.start(`url:${request.fileName}`, async (requestId) => {
      const r = await api['models.downloadUrl'](request, { requestId });
      return `Installed ${r.fileName} (${formatBytes(r.sizeBytes)}), sha256 ${r.sha256.slice(0, 12)}… verified`;
    });
  const active = downloads.downloads[key]?.phase === 'downloading';

  return (
    <div className="card" aria-labelledby="url-title">
      <h2 id="url-title">Download by URL</h2>
      <p className="muted small">
        Paste a direct link to a GGUF file (on Hugging Face: the file&apos;s <em>download</em> link, <code>…/resolve/main/…</code>). The host must be
        approved in Settings. Without a sha256, Hearth uses the checksum the server publishes and refuses the file if there is none.
      </p>
      <form
        className="url-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (name === '' || !shaOk || active) return;
          void start({ url: url.trim(), sha256: sha256.trim() === '' ? null : sha256.trim(), fileName: name });
        }}
      >
        <div className="form-row">
          <label className="grow">
            File URL
            <input type="url" required value={url} placeholder="https://huggingface.co/…/resolve/main/model.gguf" onChange={(e) => setUrl(e.target.value)} />
          </label>
        </div>
        <div className="form-row">
          <label className="grow">
            Expected sha256 (optional for Hugging Face)
            <input className="mono" value={sha256} spellCheck={false} aria-invalid={!shaOk} onChange={(e) => setSha256(e.target.value)} placeholder="64 hex digits" />
          </label>
          <label>
            Save as
            <input value={fileName} placeholder={suggestedName(url.trim()) || 'model.gguf'} onChange={(e) => setFileName(e.target.value)} />
          </label>
          {active ? (
            <button type="button" onClick={() => void downloads.cancel(key)}>
              Cancel download
            </button>
          ) : (
            <button type="submit" className="primary" disabled={url.trim() === '' || name === '' || !shaOk}>
              Download
            </button>
          )}
        </div>
        {!shaOk && <p className="small bad">A sha256 is 64 hex digits.</p>}
      </form>
      <DownloadStatus state={downloads.downloads[key]} label={name} onDismiss={() => downloads.clear(key)} />

      {partials.length > 0 && (
        <>
          <h3 className="subhead">Stopped downloads</h3>
          {discardError !== null && <ErrorNotice error={discardError} onDismiss={() => setDiscardError(null)} />}
          <ul className="partials">
            {partials
              .filter((p) => downloads.downloads[`url:${p.fileName}`]?.phase !== 'downloading' || `url:${p.fileName}` !== key)
              .map((p) => (
                <li key={p.fileName} data-testid="partial-download">
                  <div className="grow">
                    <div className="mono small strong">{p.fileName}</div>
                    <div className="small muted">
                      {formatBytes(p.partialBytes)}
                      {p.sizeBytes === null ? '' : ` of ${formatBytes(p.sizeBytes)}`} downloaded · {new URL(p.url).host}
                    </div>
                    {`url:${p.fileName}` !== key && (
                      <DownloadStatus state={downloads.downloads[`url:${p.fileName}`]} label={p.fileName} onDismiss={() => downloads.clear(`url:${p.fileName}`)} />
                    )}
                  </div>
                  {downloads.downloads[`url:${p.fileName}`]?.phase === 'downloading' ? (
                    <button type="button" onClick={() => void downloads.cancel(`url:${p.fileName}`)}>
                      Cancel
                    </button>
                  ) : (
                    <>
                      <button type="button" className="primary" onClick={() => void start({ url: p.url, sha256: p.sha256, fileName: p.fileName })} aria-label={`Continue ${p.fileName}`}>
                        Continue
                      </button>
                      <button
                        type="button"
                        aria-label={`Discard ${p.fileName}`}
                        onClick={() =>
                          void api['models.discardPartial']({ fileName: p.fileName }).then(
                            () => {
                              setDiscardError(null);
                              onChanged();
                            },
                            setDiscardError,
                          )
                        }
                      >
                        Discard
                      </button>
                    </>
                  )}
                </li>
              ))}
          </ul>
        </>
      )}
    </div>
  );
}
