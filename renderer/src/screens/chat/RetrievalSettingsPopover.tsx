import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ChatCompression, ChatRetrievalMode, type ChatRetrievalSettings } from '../../../../shared/schemas/chat.js';

const MODE_LABELS: Record<ChatRetrievalMode, string> = {
  'hybrid-rrf': 'Hybrid (rank fusion)',
  'hybrid-linear': 'Hybrid (weighted)',
  bm25: 'Keywords (BM25)',
  dense: 'Meaning (vectors)',
};

const COMPRESSION_LABELS: Record<ChatCompression, string> = {
  none: 'None (whole passages)',
  extractive: 'Similar sentences only',
  llm: 'Model picks sentences',
  'extractive+llm': 'Both',
};

/** The retrieval settings of grounded chat, in a popover anchored to its button (Escape or outside click closes it). */
export function RetrievalSettingsPopover({
  value,
  onChange,
  maxAnswerChars,
  onMaxAnswerChars,
}: {
  value: ChatRetrievalSettings;
  onChange: (v: ChatRetrievalSettings) => void;
  /** The answer-length cap (characters) the citation grammar enforces. */
  maxAnswerChars: number;
  onMaxAnswerChars: (n: number) => void;
}): ReactNode {
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onDown);
    };
  }, [open]);

  const set = <K extends keyof ChatRetrievalSettings>(key: K, v: ChatRetrievalSettings[K]) => onChange({ ...value, [key]: v });
  const summary = `${value.rerank ? 'Reranked ' : ''}${MODE_LABELS[value.mode]} · top ${value.k}`;

  return (
    <div className="popover-anchor" ref={root}>
      <button
        ref={button}
        type="button"
        className="ghost settings-button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
        aria-label={`Retrieval settings: ${summary}`}
      >
        ⚙ <span className="small">{summary}</span>
      </button>
      {open && (
        <div className="popover card" id={id} role="dialog" aria-label="Retrieval settings">
          <label className="small">
            Retrieval mode
            <select value={value.mode} onChange={(e) => set('mode', ChatRetrievalMode.parse(e.target.value))} autoFocus>
              {ChatRetrievalMode.options.map((m) => (
                <option key={m} value={m}>
                  {MODE_LABELS[m]}
                </option>
              ))}
            </select>
          </label>
          <label className="small">
            Dense weight (alpha): <span className="mono">{value.alpha.toFixed(2)}</span>
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={value.alpha}
              disabled={value.mode !== 'hybrid-linear'}
              onChange={(e) => set('alpha', Number(e.target.value))}
            />
            <span className="muted">{value.mode === 'hybrid-linear' ? '0 = keywords only, 1 = meaning only' : 'Used by weighted hybrid only'}</span>
          </label>
          <label className="small">
            Passages (k)
            <input type="number" min={1} max={20} value={value.k} onChange={(e) => set('k', Math.min(20, Math.max(1, Math.round(Number(e.target.value) || 1))))} />
          </label>
          <label className="small checkbox">
            <input type="checkbox" checked={value.rerank} onChange={(e) => set('rerank', e.target.checked)} />
            Rerank with the cross-encoder (needs a reranker model)
          </label>
          <label className="small">
            Max answer length (characters)
            <input
              type="number"
              min={16}
              max={8000}
              step={50}
              value={maxAnswerChars}
              onChange={(e) => onMaxAnswerChars(Math.min(8000, Math.max(16, Math.round(Number(e.target.value) || 16))))}
            />
          </label>
          <label className="small">
            Compression
            <select value={value.compression} onChange={(e) => set('compression', ChatCompression.parse(e.target.value))}>
              {ChatCompression.options.map((c) => (
                <option key={c} value={c}>
                  {COMPRESSION_LABELS[c]}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
    </div>
  );
}
