import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { GenerateResult } from '../../../../shared/schemas/generation.js';
import type { LoadedModel } from '../../../../shared/schemas/models.js';
import { api } from '../../api.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';

interface Turn {
  id: string;
  prompt: string;
  text: string;
  streaming: boolean;
  tokensPerSecond: number;
  /** Streamed chunks received for this turn (shown to tests and screen readers via data attributes). */
  chunks: number;
  result: GenerateResult | null;
  error: unknown;
}

/**
 * "Model only" chat: plain streamed generation with the loaded model (no documents), with live tokens/s, stoppable.
 * Rendered inside the Chat screen when the answer source is the model alone.
 */
export function ModelChat({ loaded, onGoToModels }: { loaded: LoadedModel | null | undefined; onGoToModels: () => void }): ReactNode {
  const [turns, setTurns] = useState<Turn[]>([]);
  const [draft, setDraft] = useState('');
  const [maxTokens, setMaxTokens] = useState(64);
  const [temperature, setTemperature] = useState(0.7);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => {
    return api.on('llm.token', (e) => {
      setTurns((ts) => ts.map((t) => (t.id === e.requestId && t.streaming ? { ...t, text: t.text + e.text, tokensPerSecond: e.tokensPerSecond, chunks: t.chunks + 1 } : t)));
    });
  }, []);

  const send = async () => {
    const prompt = draft.trim();
    if (prompt === '' || controller.current !== null) return;
    const id = api.newRequestId();
    const history = turns.flatMap((t) =>
      t.result === null ? [] : [{ role: 'user' as const, content: t.prompt }, { role: 'assistant' as const, content: t.result.text }],
    );
    setTurns((ts) => [...ts, { id, prompt, text: '', streaming: true, tokensPerSecond: 0, chunks: 0, result: null, error: null }]);
    setDraft('');
    controller.current = new AbortController();
    try {
      const result = await api['llm.generate'](
        { messages: [...history, { role: 'user', content: prompt }], maxTokens, temperature },
        { requestId: id, signal: controller.current.signal },
      );
      setTurns((ts) => ts.map((t) => (t.id === id ? { ...t, text: result.text, streaming: false, result } : t)));
    } catch (err) {
      setTurns((ts) => ts.map((t) => (t.id === id ? { ...t, streaming: false, error: err } : t)));
    } finally {
      controller.current = null;
    }
  };

  const streaming = turns.some((t) => t.streaming);

  return (
    <>
      {loaded === null && (
        <div className="empty">
          <p>Load a model to start chatting. Everything runs locally.</p>
          <button type="button" className="primary" onClick={onGoToModels}>
            Go to Models
          </button>
        </div>
      )}
      <ol className="transcript" aria-live="polite">
        {turns.map((t) => (
          <li key={t.id} className="turn" data-testid="turn">
            <div className="bubble user">{t.prompt}</div>
            <div className="bubble assistant" data-testid="assistant-text" data-chunks={t.chunks} aria-busy={t.streaming}>
              {t.text}
              {t.streaming && <span className="cursor" aria-hidden="true" />}
            </div>
            {t.error !== null && <ErrorNotice error={t.error} />}
            <div className="turn-meta muted small" data-testid="turn-meta">
              {t.streaming
                ? `${t.tokensPerSecond.toFixed(1)} tok/s`
                : t.result &&
                  `${t.result.completionTokens} tokens · ${t.result.tokensPerSecond.toFixed(1)} tok/s · ${Math.round(t.result.durationMs)} ms · ${t.result.finishReason}`}
            </div>
          </li>
        ))}
      </ol>
      <form
        className="composer"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <label className="sr-only" htmlFor="prompt">
          Message
        </label>
        <textarea
          id="prompt"
          rows={2}
          placeholder={loaded ? 'Ask something…' : 'Load a model first'}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              void send();
            }
          }}
        />
        <div className="composer-controls">
          <label className="small">
            Max tokens
            <input type="number" min={1} max={4096} value={maxTokens} onChange={(e) => setMaxTokens(Number(e.target.value))} />
          </label>
          <label className="small">
            Temperature
            <input type="number" min={0} max={2} step={0.1} value={temperature} onChange={(e) => setTemperature(Number(e.target.value))} />
          </label>
          {streaming ? (
            <button type="button" onClick={() => controller.current?.abort()}>
              Stop
            </button>
          ) : (
            <button type="submit" className="primary" disabled={!loaded || draft.trim() === ''}>
              Send
            </button>
          )}
        </div>
      </form>
    </>
  );
}
