import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { SerializedAppError } from '../../../../shared/errors.js';
import {
  MAX_UPLOAD_BYTES,
  MAX_UPLOAD_TOTAL_BYTES,
  type CollectionSummary,
  type DocumentRow,
  type DocumentsProgress,
  type IndexStats,
} from '../../../../shared/schemas/documents.js';
import { api } from '../../api.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { formatBytes } from '../../components/format.js';
import { fileErrorAdvice } from './fileErrorAdvice.js';
import './documents.css';

type Phase = DocumentsProgress['phase'] | 'reading';

/** One file of the current (or last) batch, as the progress list shows it. */
interface FileJob {
  key: string;
  name: string;
  bytes: number;
  requestId: string | null;
  phase: Phase;
  /** 0..1 */
  fraction: number;
  etaMs: number | null;
  base: { done: number; total: number };
  status: 'working' | 'indexed' | 'unchanged' | 'duplicate' | 'error';
  chunks: number;
  error: SerializedAppError | null;
}

const ACCEPT = '.pdf,.docx,.md,.markdown,.txt,.html,.htm,.csv';
const NEW_COLLECTION = '__new__';
const PHASE_LABEL: Record<Phase, string> = {
  reading: 'Reading',
  queued: 'Queued',
  parse: 'Parsing',
  chunk: 'Chunking',
  embed: 'Embedding',
  index: 'Indexing',
  done: 'Done',
  error: 'Failed',
};

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}`));
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.readAsDataURL(file);
  });
}

/** The parser's own reason without the server-side path (the user knows which file it is). */
function errorReason(error: SerializedAppError): string {
  const reason = error.details?.reason;
  return typeof reason === 'string' && reason.length > 0 ? reason : error.message;
}

const DATE_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function formatEta(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 1500) return 'about a second left';
  const s = Math.round(ms / 1000);
  return s < 90 ? `about ${s} s left` : `about ${Math.round(s / 60)} min left`;
}

/** Splits files into requests that each stay under the transport's upload budget. */
function batches(files: File[]): File[][] {
  const out: File[][] = [];
  let cur: File[] = [];
  let size = 0;
  for (const f of files) {
    if (cur.length > 0 && size + f.size > MAX_UPLOAD_TOTAL_BYTES * 0.9) {
      out.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(f);
    size += f.size;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** The Documents screen: add files (drop or pick) into collections, watch them index, manage the index. */
export function DocumentsScreen({ onNavigate }: { onNavigate: (screen: string) => void }): ReactNode {
  const [docs, setDocs] = useState<DocumentRow[] | null>(null);
  const [collections, setCollections] = useState<CollectionSummary[]>([]);
  const [stats, setStats] = useState<IndexStats | null>(null);
  const [collection, setCollection] = useState('default');
  const [newCollection, setNewCollection] = useState('');
  const [tags, setTags] = useState('');
  const [filter, setFilter] = useState('');
  const [jobs, setJobs] = useState<FileJob[]>([]);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [rowBusy, setRowBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const picker = useRef<HTMLInputElement>(null);

  const refresh = useCallback(async () => {
    try {
      const [d, c, s] = await Promise.all([api['documents.list']({}), api['documents.collections']({}), api['documents.stats']({})]);
      setDocs(d);
      setCollections(c);
      setStats(s);
    } catch (err) {
      setError(err);
      setDocs((d) => d ?? []);
    }
  }, []);

  useEffect(() => {
    void refresh();
    return api.on('documents.progress', (p) => {
      setJobs((js) =>
        js.map((j) => {
          if (j.requestId !== p.requestId || j.name !== p.file || j.status !== 'working') return j;
          const base = p.phase === 'parse' ? { done: p.chunksDone, total: p.chunksTotal } : j.base;
          const inFile = p.chunksTotal - base.total;
          const embedFraction = inFile > 0 ? (p.chunksDone - base.done) / inFile : 0;
          const fraction =
            p.phase === 'done' || p.phase === 'error' ? 1 : p.phase === 'parse' ? 0.1 : p.phase === 'chunk' ? 0.25 : 0.3 + 0.65 * embedFraction;
          return { ...j, phase: p.phase, base, fraction: Math.max(j.fraction, fraction), etaMs: p.etaMs, ...(p.error ? { error: p.error } : {}) };
        }),
      );
    });
  }, [refresh]);

  const targetCollection = collection === NEW_COLLECTION ? newCollection.trim() : collection;
  const tagList = tags
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);

  const addFiles = async (files: File[]) => {
    if (files.length === 0 || busy) return;
    if (targetCollection === '') {
      setError(new Error('Name the new collection first.'));
      return;
    }
    setError(null);
    setBusy(true);
    const stamp = Date.now();
    const fresh: FileJob[] = files.map((f, i) => ({
      key: `${stamp}-${i}`, name: f.name, bytes: f.size, requestId: null, phase: 'reading', fraction: 0, etaMs: null,
      base: { done: 0, total: 0 }, status: 'working', chunks: 0, error: null,
    }));
    setJobs(fresh);
    const tooBig = new Set(files.filter((f) => f.size > MAX_UPLOAD_BYTES));
    setJobs((js) =>
      js.map((j, i) =>
        tooBig.has(files[i]!)
          ? { ...j, status: 'error', phase: 'error', fraction: 1, error: { code: 'DOCUMENT_TOO_LARGE', message: `${j.name} is ${formatBytes(j.bytes)}.`, details: { maxBytes: MAX_UPLOAD_BYTES }, retryable: false } }
          : j,
      ),
    );
    try {
      for (const batch of batches(files.filter((f) => !tooBig.has(f)))) {
        const requestId = api.newRequestId();
        const keys = new Set(batch.map((f) => fresh[files.indexOf(f)]!.key));
        const payload = await Promise.all(batch.map(async (f) => ({ name: f.name, bytesBase64: await readBase64(f) })));
        setJobs((js) => js.map((j) => (keys.has(j.key) ? { ...j, requestId, phase: 'queued' } : j)));
        const result = await api['documents.ingest']({ files: payload, collection: targetCollection, tags: tagList }, { requestId });
        setJobs((js) =>
          js.map((j) => {
            if (!keys.has(j.key)) return j;
            const out = result.files.find((o) => o.name === j.name);
            if (!out) return j;
            return { ...j, status: out.status, phase: out.status === 'error' ? 'error' : 'done', fraction: 1, etaMs: null, chunks: out.chunks, error: out.error };
          }),
        );
      }
      if (collection === NEW_COLLECTION) {
        setCollection(targetCollection);
        setNewCollection('');
      }
    } catch (err) {
      setError(err);
      setJobs((js) => js.map((j) => (j.status === 'working' ? { ...j, status: 'error', phase: 'error', fraction: 1, error: null } : j)));
    } finally {
      setBusy(false);
      await refresh();
    }
  };

  const reindex = async (doc: DocumentRow) => {
    setRowBusy(doc.docId);
    setError(null);
    try {
      const res = await api['documents.reindex']({ docIds: [doc.docId] });
      const failed = res.files.find((f) => f.status === 'error');
      if (failed?.error) setError(new Error(`${doc.name}: ${fileErrorAdvice(failed.error, doc.name)}`));
    } catch (err) {
      setError(err);
    } finally {
      setRowBusy(null);
      await refresh();
    }
  };

  const remove = async (doc: DocumentRow) => {
    setRowBusy(doc.docId);
    setConfirmDelete(null);
    try {
      await api['documents.delete']({ docIds: [doc.docId] });
    } catch (err) {
      setError(err);
    } finally {
      setRowBusy(null);
      await refresh();
    }
  };

  const shown = (docs ?? []).filter((d) => filter === '' || d.collection === filter);
  const collectionNames = [...new Set(['default', ...collections.map((c) => c.name)])].sort();
  const activeJob = jobs.find((j) => j.status === 'working' && j.phase !== 'reading' && j.phase !== 'queued');

  return (
    <section className="screen documents" aria-labelledby="documents-title">
      <header className="screen-header docs-header">
        <div>
          <h1 id="documents-title">Documents</h1>
          <p className="muted">Files you add are parsed, split into passages and indexed on this machine. Nothing is uploaded anywhere.</p>
        </div>
        {stats && (
          <dl className="docs-summary" aria-label="Index summary" data-testid="index-summary">
            <div>
              <dt>Documents</dt>
              <dd>{stats.documents}</dd>
            </div>
            <div>
              <dt>Chunks</dt>
              <dd data-testid="chunk-count">{stats.chunks}</dd>
            </div>
            <div>
              <dt>Index size</dt>
              <dd>{formatBytes(stats.indexBytes)}</dd>
            </div>
            <div>
              <dt>Embedder</dt>
              <dd title={`${stats.embedder.dimensions} dimensions`}>{stats.embedder.id}</dd>
            </div>
          </dl>
        )}
      </header>

      {error !== null && <ErrorNotice error={error} onDismiss={() => setError(null)} />}

      <div className="card">
        <h2>Add documents</h2>
        <div className="form-row docs-target">
          <label>
            Collection
            <select value={collection} onChange={(e) => setCollection(e.target.value)} aria-label="Collection" aria-describedby="collection-help">
              {collectionNames.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
              <option value={NEW_COLLECTION}>New collection…</option>
            </select>
          </label>
          {collection === NEW_COLLECTION && (
            <label>
              New collection name
              <input aria-label="New collection name" value={newCollection} onChange={(e) => setNewCollection(e.target.value)} placeholder="e.g. Contracts 2025" maxLength={64} autoFocus />
            </label>
          )}
          <label className="grow">
            Tags (comma-separated, optional)
            <input aria-label="Tags" value={tags} onChange={(e) => setTags(e.target.value)} placeholder="e.g. finance, q3" />
          </label>
        </div>
        <p id="collection-help" className="muted small">
          Collections let Chat search one group of documents at a time; tags help filter later.
        </p>
        <div
          className={`dropzone${dragging ? ' dragging' : ''}${busy ? ' busy' : ''}`}
          role="button"
          tabIndex={0}
          aria-label="Add files: drop them here, or press Enter to choose files"
          aria-disabled={busy}
          data-testid="dropzone"
          onClick={() => !busy && picker.current?.click()}
          onKeyDown={(e) => {
            if ((e.key === 'Enter' || e.key === ' ') && !busy) {
              e.preventDefault();
              picker.current?.click();
            }
          }}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            void addFiles([...e.dataTransfer.files]);
          }}
        >
          <span className="dropzone-icon" aria-hidden="true">
            ⤓
          </span>
          <strong>{busy ? 'Indexing…' : 'Drop files here or click to choose'}</strong>
          <span className="muted small">PDF, Word (.docx), Markdown, HTML, CSV, text · up to {Math.round(MAX_UPLOAD_BYTES / 2 ** 20)} MiB each</span>
        </div>
        <input
          ref={picker}
          id="document-files"
          type="file"
          multiple
          accept={ACCEPT}
          className="sr-only"
          tabIndex={-1}
          aria-label="Choose files to add"
          data-testid="file-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            void addFiles(files);
          }}
        />
        {jobs.length > 0 && (
          <ul className="jobs" aria-label="Files being added" aria-live="polite">
            {jobs.map((j) => (
              <li key={j.key} className={`job ${j.status}`} data-testid="file-job" data-status={j.status} data-file={j.name}>
                <div className="job-line">
                  <span className="job-name">{j.name}</span>
                  <span className="muted small job-state">
                    {j.status === 'working'
                      ? `${PHASE_LABEL[j.phase]}${j === activeJob && j.etaMs !== null ? ` · ${formatEta(j.etaMs)}` : ''}`
                      : j.status === 'error'
                        ? 'Failed'
                        : j.status === 'indexed'
                          ? `Indexed · ${j.chunks} chunk${j.chunks === 1 ? '' : 's'}`
                          : j.status === 'unchanged'
                            ? 'Already indexed (unchanged)'
                            : 'Same content already indexed'}
                  </span>
                </div>
                <div
                  className="bar"
                  role="progressbar"
                  aria-label={`${j.name} progress`}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={Math.round(j.fraction * 100)}
                >
                  <div className="bar-fill" style={{ width: `${Math.round(j.fraction * 100)}%` }} />
                </div>
                {j.error && (
                  <div className="job-error" role="alert" data-error-code={j.error.code}>
                    <strong>{fileErrorAdvice(j.error, j.name)}</strong>
                    <div className="muted small">
                      {errorReason(j.error)} <code>{j.error.code}</code>
                    </div>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>

      <div className="card">
        <div className="docs-table-head">
          <h2>
            Your documents{docs && docs.length > 0 ? <span className="muted"> · {docs.length}</span> : null}
          </h2>
          {collections.length > 1 && (
            <label className="docs-filter">
              Show collection
              <select value={filter} onChange={(e) => setFilter(e.target.value)} aria-label="Show collection">
                <option value="">All collections</option>
                {collections.map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.name} ({c.documents})
                  </option>
                ))}
              </select>
            </label>
          )}
        </div>
        {docs === null ? (
          <p className="muted">Loading…</p>
        ) : shown.length === 0 ? (
          <div className="empty" data-testid="documents-empty">
            <p>
              <strong>No documents yet.</strong> Drop a few files in the box above — a handbook, contracts, meeting notes. Hearth reads them,
              splits them into passages and indexes them locally.
            </p>
            <p className="muted small">Then ask questions about them on the Chat screen; answers cite the page they came from.</p>
            <button type="button" onClick={() => onNavigate('chat')}>
              Go to Chat
            </button>
          </div>
        ) : (
          <table className="table docs-table" data-testid="documents-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Collection</th>
                <th scope="col" className="num">
                  Pages
                </th>
                <th scope="col" className="num">
                  Chunks
                </th>
                <th scope="col">Status</th>
                <th scope="col">Added</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((d) => (
                <tr key={d.docId} data-testid="document-row" data-name={d.name} data-status={d.status}>
                  <td>
                    <div className="doc-name" title={d.path}>
                      {d.name}
                    </div>
                    <div className="muted small">
                      {d.format.toUpperCase()}
                      {d.bytes !== null && ` · ${formatBytes(d.bytes)}`}
                      {d.tags.length > 0 && ` · ${d.tags.join(', ')}`}
                    </div>
                    {d.error && (
                      <div className="bad small" data-error-code={d.error.code}>
                        {fileErrorAdvice(d.error, d.name)}
                      </div>
                    )}
                  </td>
                  <td className="nowrap">{d.collection}</td>
                  <td className="num">{d.pages}</td>
                  <td className="num">{d.chunks}</td>
                  <td>
                    <span className={`status-pill ${d.status}`}>{d.status}</span>
                  </td>
                  <td className="muted small nowrap">{DATE_FORMAT.format(new Date(d.updatedAt))}</td>
                  <td className="actions">
                    {confirmDelete === d.docId ? (
                      <span className="confirm" role="group" aria-label={`Confirm deleting ${d.name}`}>
                        <span className="small">Delete?</span>
                        <button type="button" className="danger small-btn" onClick={() => void remove(d)} autoFocus>
                          Delete
                        </button>
                        <button type="button" className="ghost small-btn" onClick={() => setConfirmDelete(null)}>
                          Keep
                        </button>
                      </span>
                    ) : (
                      <>
                        <button type="button" className="ghost small-btn" disabled={rowBusy !== null || busy} onClick={() => void reindex(d)} aria-label={`Re-index ${d.name}`}>
                          {rowBusy === d.docId ? 'Working…' : 'Re-index'}
                        </button>
                        <button type="button" className="ghost small-btn" disabled={rowBusy !== null || busy} onClick={() => setConfirmDelete(d.docId)} aria-label={`Delete ${d.name}`}>
                          Delete
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
