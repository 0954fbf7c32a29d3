import { Fragment, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import {
  ChatRetrievalSettings,
  type AnswerStats,
  type ChatMessageRecord,
  type Citation,
  type ConversationSummary,
} from '../../../../shared/schemas/chat.js';
import type { CollectionSummary, DocumentRow } from '../../../../shared/schemas/documents.js';
import type { LoadedModel } from '../../../../shared/schemas/models.js';
import { api } from '../../api.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { CitationPanel } from './CitationPanel.js';
import { RetrievalSettingsPopover } from './RetrievalSettingsPopover.js';
import { formatMicros, formatMs, formatWhen } from './chatFormat.js';

const SETTINGS_KEY = 'hearth.chat.retrieval';
const ANSWER_CHARS_KEY = 'hearth.chat.maxAnswerChars';

function loadSettings(): ChatRetrievalSettings {
  try {
    const parsed = ChatRetrievalSettings.safeParse(JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? '{}'));
    if (parsed.success) return parsed.data;
  } catch {}
  return ChatRetrievalSettings.parse({});
}

interface Pending {
  requestId: string;
  question: string;
  text: string;
  chunks: number;
  phase: 'retrieving' | 'compressing' | 'generating' | 'done';
  passages: number | null;
  error: unknown;
}

const PHASE_TEXT: Record<Pending['phase'], (n: number | null) => string> = {
  retrieving: () => 'Searching your documents…',
  compressing: (n) => `Condensing ${n ?? ''} passages…`,
  generating: (n) => `Reading ${n ?? ''} passage${n === 1 ? '' : 's'}…`,
  done: () => '',
};

/** Answer text with its inline `[n]` markers turned into citation buttons. */
function AnswerText({ text, citations, onCite }: { text: string; citations: Citation[]; onCite: (c: Citation) => void }): ReactNode {
  const parts = text.split(/(\[\d+\])/);
  return (
    <>
      {parts.map((part, i) => {
        const m = /^\[(\d+)\]$/.exec(part);
        const c = m ? citations.find((x) => x.index === Number(m[1])) : undefined;
        if (c === undefined) return <Fragment key={i}>{part}</Fragment>;
        return (
          <button key={i} type="button" className="chip inline" onClick={() => onCite(c)} aria-label={`Citation ${c.index}: ${c.documentName}, page ${c.page}`}>
            [{c.index}]
          </button>
        );
      })}
    </>
  );
}

function StatsLine({ stats, status }: { stats: AnswerStats; status: ChatMessageRecord['status'] }): ReactNode {
  if (status === 'not-found') return <>Nothing relevant found · searched in {formatMs(stats.retrievalMs)} · no model call</>;
  const cloud = stats.cloudEquivalent;
  return (
    <>
      {stats.completionTokens} tokens · {stats.tokensPerSecond.toFixed(1)} tok/s · {formatMs(stats.latencyMs)} · cost {formatMicros(stats.costMicros)}
      {cloud.length > 0 && (
        <span title={cloud.map((c) => `${c.model}: ${formatMicros(c.costMicros)}`).join('\n')}>
          {' '}
          · cloud ≈ {cloud.map((c) => `${formatMicros(c.costMicros)} ${c.model}`).join(', ')}
        </span>
      )}
      {status === 'truncated' && ' · cut at the length limit'}
      {status === 'cancelled' && ' · stopped'}
    </>
  );
}

/**
 * Grounded chat: questions answered only from the indexed documents, with grammar-constrained citations. Shows
 * the saved conversations, a scope selector (all documents, one collection or one document), retrieval settings,
 * the streamed answer (stoppable) and a side panel with the cited passage.
 */
export function GroundedChat({ loaded, onNavigate }: { loaded: LoadedModel | null | undefined; onNavigate: (screen: string) => void }): ReactNode {
  const [documents, setDocuments] = useState<DocumentRow[] | null>(null);
  const [collections, setCollections] = useState<CollectionSummary[]>([]);
  const [conversations, setConversations] = useState<ConversationSummary[]>([]);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [messages, setMessages] = useState<ChatMessageRecord[]>([]);
  const [pending, setPending] = useState<Pending | null>(null);
  const [draft, setDraft] = useState('');
  const [scope, setScope] = useState('all');
  const [settings, setSettings] = useState<ChatRetrievalSettings>(loadSettings);
  const [maxAnswerChars, setMaxAnswerChars] = useState(() => Number(localStorage.getItem(ANSWER_CHARS_KEY)) || 1200);
  const [openCitation, setOpenCitation] = useState<Citation | null>(null);
  /** Streamed chunk counts of answers asked in this session, by message id (for tests and screen readers). */
  const [streamedChunks, setStreamedChunks] = useState<Record<string, number>>({});
  const chunkCount = useRef(0);
  const [loadError, setLoadError] = useState<unknown>(null);
  const controller = useRef<AbortController | null>(null);
  const pendingId = useRef<string | null>(null);
  const bottom = useRef<HTMLDivElement>(null);

  const refreshConversations = useCallback(async () => {
    setConversations(await api['chat.conversations']({}));
  }, []);

  useEffect(() => {
    Promise.all([api['documents.list']({}), api['documents.collections']({}), api['chat.conversations']({})]).then(
      ([docs, cols, convs]) => {
        setDocuments(docs);
        setCollections(cols);
        setConversations(convs);
      },
      (e: unknown) => {
        setDocuments([]);
        setLoadError(e);
      },
    );
    const offToken = api.on('chat.token', (e) => {
      if (e.requestId !== pendingId.current) return;
      chunkCount.current += 1;
      setPending((p) => (p && p.requestId === e.requestId ? { ...p, text: p.text + e.text, chunks: p.chunks + 1 } : p));
    });
    const offPhase = api.on('chat.phase', (e) => {
      if (e.requestId !== pendingId.current) return;
      setPending((p) => (p && p.requestId === e.requestId ? { ...p, phase: e.phase, passages: e.passages ?? p.passages } : p));
    });
    return () => {
      offToken();
      offPhase();
    };
  }, []);

  useEffect(() => {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
    localStorage.setItem(ANSWER_CHARS_KEY, String(maxAnswerChars));
  }, [settings, maxAnswerChars]);

  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [messages.length, pending?.phase]);

  const openConversation = async (id: string | null) => {
    if (controller.current !== null) return;
    setOpenCitation(null);
    setPending(null);
    setActiveId(id);
    if (id === null) {
      setMessages([]);
      return;
    }
    try {
      setMessages((await api['chat.history']({ conversationId: id })).messages);
    } catch (e) {
      setLoadError(e);
    }
  };

  const deleteConversation = async (c: ConversationSummary) => {
    if (!window.confirm(`Delete the conversation "${c.title}"?`)) return;
    try {
      await api['chat.deleteConversation']({ conversationId: c.id });
      if (activeId === c.id) await openConversation(null);
      await refreshConversations();
    } catch (e) {
      setLoadError(e);
    }
  };

  const ask = async () => {
    const question = draft.trim();
    if (question === '' || controller.current !== null) return;
    const requestId = api.newRequestId();
    pendingId.current = requestId;
    chunkCount.current = 0;
    controller.current = new AbortController();
    setPending({ requestId, question, text: '', chunks: 0, phase: 'retrieving', passages: null, error: null });
    setDraft('');
    const filter = scope.startsWith('c:') ? { collection: scope.slice(2) } : scope.startsWith('d:') ? { documentIds: [scope.slice(2)] } : undefined;
    try {
      const out = await api['chat.ask'](
        { question, settings, maxAnswerChars, ...(activeId === null ? {} : { conversationId: activeId }), ...(filter === undefined ? {} : { filter }) },
        { requestId, signal: controller.current.signal },
      );
      setActiveId(out.conversationId);
      setStreamedChunks((m) => ({ ...m, [out.answer.id]: chunkCount.current }));
      setMessages((ms) => [...ms, out.question, out.answer]);
      setPending(null);
      void refreshConversations();
    } catch (e) {
      setPending((p) => (p ? { ...p, error: e } : p));
      // a stopped answer that already streamed text is saved as 'cancelled': show what was kept
      void refreshConversations().catch(() => {});
      if (activeId !== null) {
        api['chat.history']({ conversationId: activeId }).then((h) => setMessages(h.messages), () => {});
      }
    } finally {
      controller.current = null;
      pendingId.current = null;
    }
  };

  const indexed = documents?.filter((d) => d.status === 'indexed') ?? [];
  const noDocuments = documents !== null && indexed.length === 0;
  const busy = pending !== null && pending.error === null;

  return (
    <div className={openCitation ? 'chat-layout with-panel' : 'chat-layout'}>
      <nav className="conversation-list" aria-label="Conversations">
        <button type="button" className="new-chat" onClick={() => void openConversation(null)} disabled={busy}>
          + New conversation
        </button>
        {conversations.length === 0 ? (
          <p className="muted small">Your questions and answers are saved here, on this machine.</p>
        ) : (
          <ul>
            {conversations.map((c) => (
              <li key={c.id} className={c.id === activeId ? 'active' : undefined}>
                <button type="button" className="conversation" onClick={() => void openConversation(c.id)} aria-current={c.id === activeId ? 'true' : undefined} disabled={busy}>
                  <span className="conversation-title">{c.title}</span>
                  <span className="muted small">
                    {formatWhen(c.updatedAt)} · {c.messageCount / 2} question{c.messageCount === 2 ? '' : 's'}
                  </span>
                </button>
                <button type="button" className="ghost delete" onClick={() => void deleteConversation(c)} aria-label={`Delete conversation ${c.title}`} disabled={busy}>
                  🗑
                </button>
              </li>
            ))}
          </ul>
        )}
      </nav>

      <div className="chat-main">
        <div className="chat-toolbar">
          <label className="small scope">
            Search in
            <select value={scope} onChange={(e) => setScope(e.target.value)} disabled={noDocuments}>
              <option value="all">All documents ({indexed.length})</option>
              {collections.length > 0 && (
                <optgroup label="Collections">
                  {collections.map((c) => (
                    <option key={c.name} value={`c:${c.name}`}>
                      {c.name} ({c.documents})
                    </option>
                  ))}
                </optgroup>
              )}
              {indexed.length > 0 && (
                <optgroup label="Documents">
                  {indexed.map((d) => (
                    <option key={d.docId} value={`d:${d.docId}`}>
                      {d.name}
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
          </label>
          <RetrievalSettingsPopover value={settings} onChange={setSettings} maxAnswerChars={maxAnswerChars} onMaxAnswerChars={setMaxAnswerChars} />
        </div>

        {loadError !== null && <ErrorNotice error={loadError} onDismiss={() => setLoadError(null)} />}
        {noDocuments && (
          <div className="empty" data-testid="chat-empty">
            <p>
              <strong>Add documents first.</strong> Hearth answers only from files you index — PDFs, Word files, web pages or text —
              and cites the passage behind every sentence.
            </p>
            <button type="button" className="primary" onClick={() => onNavigate('documents')}>
              Go to Documents
            </button>
          </div>
        )}
        {loaded === null && !noDocuments && (
          <div className="notice info" role="status">
            Load a model to ask questions.{' '}
            <button type="button" className="link" onClick={() => onNavigate('models')}>
              Go to Models
            </button>
          </div>
        )}
        {!noDocuments && messages.length === 0 && pending === null && documents !== null && (
          <div className="empty subtle">
            <p>Ask about your {indexed.length} document{indexed.length === 1 ? '' : 's'}. Answers cite their sources; click a [number] to read the passage.</p>
          </div>
        )}

        <ol className="transcript" aria-live="polite">
          {messages.map((m) =>
            m.role === 'user' ? (
              <li key={m.id} className="turn">
                <div className="bubble user">{m.text}</div>
              </li>
            ) : (
              <li key={m.id} className="turn" data-testid="grounded-turn">
                <div className={m.status === 'not-found' ? 'bubble assistant not-found' : 'bubble assistant'} data-testid="grounded-answer" data-status={m.status ?? ''} data-chunks={streamedChunks[m.id]}>
                  <AnswerText text={m.text} citations={m.citations} onCite={setOpenCitation} />
                </div>
                {m.citations.length > 0 && (
                  <div className="sources" aria-label="Sources">
                    {m.citations.map((c) => (
                      <button
                        key={c.index}
                        type="button"
                        className={openCitation?.chunkId === c.chunkId && openCitation.index === c.index ? 'chip source active' : 'chip source'}
                        onClick={() => setOpenCitation(c)}
                        data-testid="citation-chip"
                      >
                        [{c.index}] {c.documentName} · p. {c.page}
                      </button>
                    ))}
                  </div>
                )}
                <div className="turn-meta muted small" data-testid="grounded-meta">
                  {m.stats && <StatsLine stats={m.stats} status={m.status} />}
                </div>
              </li>
            ),
          )}
          {pending !== null && (
            <li className="turn" key={pending.requestId}>
              <div className="bubble user">{pending.question}</div>
              <div className="bubble assistant" data-testid="grounded-streaming" data-chunks={pending.chunks} aria-busy={pending.error === null}>
                {pending.text === '' && pending.error === null ? <span className="muted">{PHASE_TEXT[pending.phase](pending.passages)}</span> : pending.text}
                {pending.error === null && <span className="cursor" aria-hidden="true" />}
              </div>
              {pending.error !== null && <ErrorNotice error={pending.error} onDismiss={() => setPending(null)} />}
              <div className="turn-meta muted small">{pending.error === null && pending.phase === 'generating' ? 'Answering from your documents…' : ''}</div>
            </li>
          )}
        </ol>
        <div ref={bottom} />

        <form
          className="composer"
          onSubmit={(e) => {
            e.preventDefault();
            void ask();
          }}
        >
          <label className="sr-only" htmlFor="question">
            Question
          </label>
          <textarea
            id="question"
            rows={2}
            placeholder={noDocuments ? 'Add documents first' : 'Ask your documents…'}
            value={draft}
            disabled={noDocuments}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                void ask();
              }
            }}
          />
          <div className="composer-controls">
            {activeId !== null && <span className="muted small grow">Follow-up in “{conversations.find((c) => c.id === activeId)?.title ?? '…'}”</span>}
            {busy ? (
              <button type="button" onClick={() => controller.current?.abort()}>
                Stop
              </button>
            ) : (
              <button type="submit" className="primary" disabled={!loaded || noDocuments || draft.trim() === ''}>
                Ask
              </button>
            )}
          </div>
        </form>
      </div>

      {openCitation && <CitationPanel citation={openCitation} onClose={() => setOpenCitation(null)} />}
    </div>
  );
}
