import { useEffect, useState, type ReactNode } from 'react';
import type { LoadedModel } from '../../../../shared/schemas/models.js';
import { api } from '../../api.js';
import { GroundedChat } from './GroundedChat.js';
import { ModelChat } from './ModelChat.js';
import './chat.css';

type Source = 'documents' | 'model';
const SOURCE_KEY = 'hearth.chat.source';

/**
 * The Chat screen: "Documents" (grounded answers with citations, saved conversations) or "Model only" (plain
 * streamed chat with the loaded model). The choice is remembered per browser profile. Default "Model only" until
 * the user switches, so a fresh install without documents starts with something that works; the Documents side
 * teaches "add documents first" when the index is empty.
 */
export function ChatScreen({ onGoToModels, onNavigate }: { onGoToModels?: () => void; onNavigate?: (screen: string) => void }): ReactNode {
  const [loaded, setLoaded] = useState<LoadedModel | null | undefined>(undefined);
  const [source, setSource] = useState<Source>(() => (localStorage.getItem(SOURCE_KEY) === 'documents' ? 'documents' : 'model'));
  const [documentCount, setDocumentCount] = useState<number | null>(null);

  const navigate = (screen: string) => {
    if (onNavigate) onNavigate(screen);
    else if (screen === 'models' && onGoToModels) onGoToModels();
    else window.location.hash = `/${screen}`;
  };

  useEffect(() => {
    api['models.status']({}).then((s) => setLoaded(s.loaded), () => setLoaded(null));
    api['documents.list']({}).then((d) => setDocumentCount(d.filter((x) => x.status === 'indexed').length), () => setDocumentCount(null));
  }, []);

  const choose = (s: Source) => {
    setSource(s);
    localStorage.setItem(SOURCE_KEY, s);
  };

  return (
    <section className={source === 'documents' ? 'screen chat chat-wide' : 'screen chat'} aria-labelledby="chat-title">
      <header className="screen-header chat-header">
        <div>
          <h1 id="chat-title">Chat</h1>
          <p className="muted">
            {loaded ? (
              <>
                Talking to <strong>{loaded.name}</strong> on this machine.
              </>
            ) : loaded === null ? (
              'No model loaded.'
            ) : (
              'Checking the model…'
            )}
          </p>
        </div>
        <div className="segmented" role="group" aria-label="Answer from">
          <button type="button" aria-pressed={source === 'documents'} className={source === 'documents' ? 'active' : undefined} onClick={() => choose('documents')}>
            Documents{documentCount !== null ? ` (${documentCount})` : ''}
          </button>
          <button type="button" aria-pressed={source === 'model'} className={source === 'model' ? 'active' : undefined} onClick={() => choose('model')}>
            Model only
          </button>
        </div>
      </header>
      {source === 'model' && documentCount !== null && documentCount > 0 && (
        <p className="notice info small" role="status">
          You have {documentCount} indexed document{documentCount === 1 ? '' : 's'}.{' '}
          <button type="button" className="link" onClick={() => choose('documents')}>
            Answer from your documents with citations
          </button>
        </p>
      )}
      {source === 'documents' ? <GroundedChat loaded={loaded} onNavigate={navigate} /> : <ModelChat loaded={loaded} onGoToModels={() => navigate('models')} />}
    </section>
  );
}
