import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Citation } from '../../../../shared/schemas/chat.js';
import type { Passage } from '../../../../shared/schemas/documents.js';
import { api } from '../../api.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';

/** Splits `text` into before / highlighted / after, clamping the range into the text. */
function splitHighlight(text: string, start: number, end: number): [string, string, string] {
  const s = Math.max(0, Math.min(text.length, start));
  const e = Math.max(s, Math.min(text.length, end));
  return [text.slice(0, s), text.slice(s, e), text.slice(e)];
}

/**
 * Side panel for one citation: the passage in its surrounding text (from `documents.passage`) with the cited part
 * highlighted, its document and page. Falls back to the quote stored with the answer when the chunk is gone
 * (document deleted or re-indexed).
 */
export function CitationPanel({ citation, onClose }: { citation: Citation; onClose: () => void }): ReactNode {
  const [passage, setPassage] = useState<Passage | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const mark = useRef<HTMLElement>(null);

  useEffect(() => {
    let live = true;
    setPassage(undefined);
    setError(null);
    api['documents.passage']({ chunkId: citation.chunkId }).then(
      (p) => live && setPassage(p),
      (e: unknown) => {
        if (!live) return;
        setPassage(null);
        setError(e);
      },
    );
    heading.current?.focus();
    return () => {
      live = false;
    };
  }, [citation.chunkId, citation.index]);

  useEffect(() => {
    mark.current?.scrollIntoView({ block: 'center' });
  }, [passage]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  let parts: [string, string, string];
  if (passage) {
    const ctx = passage.context;
    const inContext = citation.charStart >= ctx.charStart && citation.charEnd <= ctx.charEnd;
    parts = inContext
      ? splitHighlight(ctx.text, citation.charStart - ctx.charStart, citation.charEnd - ctx.charStart)
      : splitHighlight(ctx.text, ctx.matchStart, ctx.matchEnd);
  } else parts = ['', citation.quote, ''];
  const page = passage ? passage.page : citation.page;
  const pageEnd = passage ? passage.pageEnd : citation.pageEnd;

  return (
    <aside className="citation-panel card" aria-labelledby="citation-title" data-testid="citation-panel">
      <header className="citation-head">
        <h2 id="citation-title" tabIndex={-1} ref={heading}>
          <span className="chip static">[{citation.index}]</span> {citation.documentName}
        </h2>
        <button type="button" className="ghost" onClick={onClose} aria-label="Close the passage">
          ✕
        </button>
      </header>
      <p className="muted small" data-testid="citation-page">
        Page {page}
        {pageEnd !== page ? `–${pageEnd}` : ''} · characters {citation.charStart}–{citation.charEnd}
        {passage?.collection ? ` · collection “${passage.collection}”` : ''}
      </p>
      {passage === undefined && <p className="muted small">Loading the passage…</p>}
      {error !== null && (
        <div className="small">
          <ErrorNotice error={error} />
          <p className="muted">Showing the text quoted in the answer instead.</p>
        </div>
      )}
      <blockquote className="passage-text" data-testid="citation-passage">
        {parts[0]}
        <mark ref={mark}>{parts[1]}</mark>
        {parts[2]}
      </blockquote>
    </aside>
  );
}
