import type { z } from 'zod';
import { ChatRetrievalSettings, type ChatAskInput, type ChatMessageRecord, type ConversationSummary } from '../../../shared/schemas/chat.js';
import type { ChatMessage } from '../../../shared/schemas/generation.js';
import { answerQuestion, ChatHistoryStore, type AnswerPhase, type CostLookup } from '../../services/rag/index.js';
import type { ChunkFilter, HybridRetriever } from '../../services/retrieval/index.js';
import type { GenerateRequest } from '../../services/llm/index.js';
import type { CoreServices } from './CoreServices.js';
import type { DocumentsFeature } from './DocumentsFeature.js';

/** A `chat.ask` input after the contract's parsing (defaults applied). */
export type ParsedAsk = z.output<typeof ChatAskInput>;

/** What grounded chat needs from the Documents feature (structural, so tests can pass a bare retriever). */
export interface ChatDocumentsSource {
  readonly retriever: HybridRetriever;
  corpusVersion(): number;
  /** Display names by document id (file names rather than extracted titles); optional. */
  list?(): Promise<{ docId: string; name: string }[]>;
}

export interface AskCallbacks {
  signal?: AbortSignal;
  onToken?: (text: string) => void;
  onPhase?: (phase: AnswerPhase, passages?: number) => void;
}

/**
 * Owns grounded chat over documents (retrieval, constrained answer with citations) and its persisted history
 * (`<dataDir>/chat.sqlite`). Every model call goes through the core RequestPipeline with endpoint 'chat', so the
 * ledger records it; the message stats read the charged and cloud-equivalent (shadow) costs back from the ledger.
 */
export class ChatFeature {
  private disposed = false;

  private constructor(
    private readonly core: CoreServices,
    private readonly documents: ChatDocumentsSource,
    readonly history: ChatHistoryStore,
  ) {}

  static async create(core: CoreServices, deps: { documents: DocumentsFeature | ChatDocumentsSource }): Promise<ChatFeature> {
    const history = await ChatHistoryStore.open({ dataDir: core.dataDir });
    return new ChatFeature(core, deps.documents, history);
  }

  /**
   * Answers one question, appending the question and answer to the conversation (a new one when none is given).
   * A cancelled generation that already streamed text is saved with status 'cancelled'; a call that fails before
   * (or a cancellation before any text) saves nothing and throws.
   */
  async ask(input: ParsedAsk, callbacks: AskCallbacks = {}): Promise<{ conversationId: string; question: ChatMessageRecord; answer: ChatMessageRecord }> {
    this.check();
    const existing = input.conversationId === undefined ? null : this.history.messages(input.conversationId);
    const settings = input.settings ?? ChatRetrievalSettings.parse({});
    const filter: ChunkFilter = {
      ...(input.filter?.collection === undefined ? {} : { collection: input.filter.collection }),
      ...(input.filter?.documentIds === undefined ? {} : { docIds: input.filter.documentIds }),
    };
    const corpusVersion = String(this.documents.corpusVersion());
    const generate = (request: GenerateRequest) =>
      this.core.pipeline.generate(request, {
        userId: 'local',
        endpoint: 'chat',
        providers: [this.core.models.requireProvider()],
        ...(callbacks.signal === undefined ? {} : { signal: callbacks.signal }),
        // the question is the paraphrasable part: a rephrased question over the same corpus and passages can hit the
        // semantic layer (passages, history and instructions around it must match exactly; see CacheKeyInput)
        cache: { corpusVersion, semanticText: input.question },
      });
    const result = await answerQuestion({
      question: input.question,
      retriever: this.documents.retriever,
      generate,
      settings,
      filter,
      history: historyMessages(existing ?? []),
      maxAnswerChars: input.maxAnswerChars,
      temperature: input.temperature,
      ...(input.seed === undefined ? {} : { seed: input.seed }),
      costOf: this.costOf,
      ...(callbacks.signal === undefined ? {} : { signal: callbacks.signal }),
      ...(callbacks.onToken === undefined ? {} : { onToken: callbacks.onToken }),
      ...(callbacks.onPhase === undefined ? {} : { onPhase: callbacks.onPhase }),
    });
    const names = result.citations.length > 0 && this.documents.list ? new Map((await this.documents.list()).map((d) => [d.docId, d.name])) : new Map<string, string>();
    const citations = result.citations.map((c) => ({ ...c, documentName: names.get(c.documentId) ?? c.documentName }));
    const conversationId = input.conversationId ?? this.history.createConversation(input.question).id;
    const [question, answer] = this.history.append(conversationId, [
      { role: 'user', text: input.question, citations: [], stats: null, status: null, settings: null },
      { role: 'assistant', text: result.answer, citations, stats: result.stats, status: result.status, settings },
    ]);
    return { conversationId, question: question!, answer: answer! };
  }

  conversations(): ConversationSummary[] {
    this.check();
    return this.history.listConversations();
  }

  conversation(conversationId: string): { conversation: ConversationSummary; messages: ChatMessageRecord[] } {
    this.check();
    return { conversation: this.history.getConversation(conversationId), messages: this.history.messages(conversationId) };
  }

  deleteConversation(conversationId: string): boolean {
    this.check();
    return this.history.deleteConversation(conversationId);
  }

  /** Sums what the ledger charged for these attempts and their shadow (cloud-equivalent) costs per model. */
  private readonly costOf: CostLookup = (requestIds) => {
    let costMicros = 0;
    const shadow = new Map<string, number>();
    for (const id of requestIds) {
      const row = this.core.ledger.getRequest(id);
      if (row === undefined) continue;
      costMicros += row.totalCostMicros;
      for (const s of row.shadow) shadow.set(s.model, (shadow.get(s.model) ?? 0) + s.totalCostMicros);
    }
    return { costMicros, cloudEquivalent: [...shadow].map(([model, micros]) => ({ model, costMicros: micros })) };
  };

  private check(): void {
    if (this.disposed) throw new Error('ChatFeature used after dispose()');
  }

  /** Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.history.dispose();
  }
}

/** Earlier answered turns as chat messages (not-found and cancelled answers carry nothing worth resending). */
function historyMessages(messages: readonly ChatMessageRecord[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (let i = 0; i + 1 < messages.length; i++) {
    const q = messages[i]!;
    const a = messages[i + 1]!;
    if (q.role === 'user' && a.role === 'assistant' && a.status === 'answered') {
      out.push({ role: 'user', content: q.text }, { role: 'assistant', content: a.text });
      i++;
    }
  }
  return out;
}
