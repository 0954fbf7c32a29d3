import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { ChannelOutput } from '../../../../shared/contract/index.js';
import type { Hardware, InstalledModel, LoadedModel, PartialDownload } from '../../../../shared/schemas/models.js';
import { api, chooseFiles } from '../../api.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { formatBytes, formatCount } from '../../components/format.js';
import { DownloadByUrl } from './DownloadByUrl.js';
import { RecommendedModels } from './RecommendedModels.js';
import { useDownloads } from './useDownloads.js';
import './models.css';

/**
 * Installed models (GGUF and ONNX), hardware, load/unload with context size, GPU layers and threads; recommended
 * models from the manifest and downloads by URL with live progress, cancel and resume.
 */
export function ModelsScreen(): ReactNode {
  const [models, setModels] = useState<InstalledModel[] | null>(null);
  const [loaded, setLoaded] = useState<LoadedModel | null>(null);
  const [hardware, setHardware] = useState<Hardware | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [openPath, setOpenPath] = useState('');
  const [contextSize, setContextSize] = useState(2048);
  const [threads, setThreads] = useState<number | ''>('');
  const [gpuLayers, setGpuLayers] = useState<'auto' | number>('auto');

  const [manifest, setManifest] = useState<ChannelOutput<'models.manifest'> | null>(null);
  const [partials, setPartials] = useState<PartialDownload[]>([]);

  // Each part updates on its own: scanning big GGUF headers must not hold back the manifest or downloads.
  const refresh = useCallback(async () => {
    await Promise.all([
      api['models.list']({}).then(setModels, setError),
      api['models.status']({}).then((s) => setLoaded(s.loaded), setError),
      api['models.manifest']({}).then(setManifest, setError),
      api['models.partialDownloads']({}).then(setPartials, setError),
    ]);
  }, []);
  const downloads = useDownloads(useCallback(() => void refresh(), [refresh]));

  useEffect(() => {
    // Hardware detection starts the llama.cpp runtime: after the list, so the two do not compete for the CPU on
    // a cold start (the list is what the user acts on first).
    void refresh().then(() => api['system.hardware']({}).then(setHardware, setError));
  }, [refresh]);

  const load = async (path: string) => {
    setBusy(path);
    setError(null);
    try {
      setLoaded(
        await api['models.load']({
          path,
          contextSize,
          gpuLayers,
          ...(threads === '' ? {} : { threads }),
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const unload = async () => {
    setError(null);
    try {
      await api['models.unload']({});
      setLoaded(null);
    } catch (err) {
      setError(err);
    }
  };

  const pickFiles = chooseFiles;
  const open = async (picked?: string) => {
    setError(null);
    try {
      await api['models.open']({ path: picked ?? openPath.trim() });
      setOpenPath('');
      await refresh();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section className="screen" aria-labelledby="models-title">
      <header className="screen-header">
        <h1 id="models-title">Models</h1>
        <p className="muted">Local GGUF models run on this machine through llama.cpp. Nothing is sent anywhere.</p>
      </header>
      {error !== null && <ErrorNotice error={error} onDismiss={() => setError(null)} />}

      <div className="grid two">
        <div className="card" data-testid="loaded-model">
          <h2>Loaded model</h2>
          {loaded === null ? (
            <p className="muted">No model loaded. Pick one below and press Load.</p>
          ) : (
            <>
              <p className="strong">{loaded.name}</p>
              <dl className="facts">
                <dt>Architecture</dt>
                <dd>{loaded.summary.architecture}</dd>
                <dt>Parameters</dt>
                <dd>{formatCount(loaded.summary.parameters)}</dd>
                <dt>Context</dt>
                <dd>{loaded.contextSize} tokens</dd>
                <dt>Threads</dt>
                <dd>{loaded.threads}</dd>
                <dt>Device</dt>
                <dd>
                  {loaded.gpu} ({loaded.gpuLayers} GPU layers)
                </dd>
                <dt>Load time</dt>
                <dd>{Math.round(loaded.loadMs)} ms</dd>
              </dl>
              <button type="button" onClick={unload}>
                Unload
              </button>
            </>
          )}
        </div>
        <div className="card">
          <h2>This machine</h2>
          {hardware === null ? (
            <p className="muted">Detecting…</p>
          ) : (
            <dl className="facts">
              <dt>CPU</dt>
              <dd>{hardware.cpuModel}</dd>
              <dt>Cores</dt>
              <dd>
                {hardware.physicalCores} physical / {hardware.logicalCores} logical
              </dd>
              <dt>RAM</dt>
              <dd>
                {formatBytes(hardware.freeRamBytes)} free of {formatBytes(hardware.ramBytes)}
              </dd>
              <dt>GPU</dt>
              <dd>{hardware.gpu === 'cpu' ? 'none usable (CPU inference)' : hardware.gpu}</dd>
              {hardware.vramBytes !== null && (
                <>
                  <dt>VRAM</dt>
                  <dd>{formatBytes(hardware.vramBytes)}</dd>
                </>
              )}
            </dl>
          )}
        </div>
      </div>

      <div className="card">
        <h2>Load settings</h2>
        <div className="form-row">
          <label>
            Context size
            <input type="number" min={64} step={64} value={contextSize} onChange={(e) => setContextSize(Number(e.target.value))} />
          </label>
          <label>
            Threads
            <input
              type="number"
              min={1}
              placeholder={hardware ? `${hardware.physicalCores} (physical cores)` : 'auto'}
              value={threads}
              onChange={(e) => setThreads(e.target.value === '' ? '' : Number(e.target.value))}
            />
          </label>
          <label>
            GPU layers
            <select value={String(gpuLayers)} onChange={(e) => setGpuLayers(e.target.value === 'auto' ? 'auto' : Number(e.target.value))}>
              <option value="auto">auto</option>
              <option value="0">0 (CPU only)</option>
              <option value="99">all</option>
            </select>
          </label>
        </div>
      </div>

      <div className="card">
        <h2>Installed models</h2>
        {models === null ? (
          <p className="muted">Scanning…</p>
        ) : models.length === 0 ? (
          <p className="muted">No models yet. Open a GGUF file you already have, below.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Architecture</th>
                <th scope="col">Parameters</th>
                <th scope="col">Quantization</th>
                <th scope="col">Size</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <tr key={m.id} data-testid="model-row">
                  <td>
                    <div className="strong">{m.summary?.name ?? m.path.split(/[\\/]/).pop()}</div>
                    <div className="muted small mono">{m.path.split(/[\\/]/).pop()}</div>
                  </td>
                  <td>{m.kind === 'gguf' ? (m.summary?.architecture ?? <span className="bad">unreadable</span>) : 'ONNX (transformers.js)'}</td>
                  <td>{m.summary ? formatCount(m.summary.parameters) : '–'}</td>
                  <td>{m.summary?.quantization ?? '–'}</td>
                  <td>{m.kind === 'onnx' && m.sizeBytes === 0 ? 'folder' : formatBytes(m.sizeBytes)}</td>
                  <td>
                    {m.kind === 'onnx' && <span className="small muted">Used by Documents for embeddings or re-ranking</span>}
                    {m.kind === 'gguf' && (
                      <button
                        type="button"
                        className="primary"
                        disabled={busy !== null || loaded?.path === m.path}
                        onClick={() => load(m.path)}
                        aria-label={`${loaded?.path === m.path ? 'Loaded' : 'Load'} ${m.summary?.name ?? m.path}`}
                      >
                        {busy === m.path ? 'Loading…' : loaded?.path === m.path ? 'Loaded' : 'Load'}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form
          className="form-row"
          onSubmit={(e) => {
            e.preventDefault();
            void open();
          }}
        >
          <label className="grow">
            Open a local GGUF file
            <input type="text" placeholder="/path/to/model.gguf" value={openPath} onChange={(e) => setOpenPath(e.target.value)} />
          </label>
          <button type="submit" disabled={openPath.trim() === ''}>
            Open
          </button>
          {pickFiles !== null && (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                pickFiles(['gguf']).then(async (paths) => {
                  if (paths[0] !== undefined) await open(paths[0]);
                }, setError);
              }}
            >
              Choose file…
            </button>
          )}
        </form>
      </div>

      <div className="card" aria-labelledby="recommended-title">
        <h2 id="recommended-title">Recommended models</h2>
        <p className="muted small">
          Downloads go to the models folder, continue where they stopped, and are checked against their sha256 before use.
          Their host (huggingface.co) must be approved in Settings, and offline mode must be off.
        </p>
        <RecommendedModels rows={manifest} hardware={hardware} downloads={downloads} />
      </div>

      <DownloadByUrl partials={partials} downloads={downloads} onChanged={() => void refresh()} />
    </section>
  );
}
