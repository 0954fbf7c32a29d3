import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnswerStats, Citation } from '../../../shared/schemas/chat.js';
import { ChatHistoryStore } from './ChatHistoryStore.js';
import { ConversationNotFoundError } from './ConversationNotFoundError.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hearth-chat-history-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const citation: Citation = { index: 1, chunkId: 'c1', documentId: 'd1', documentName: 'a.pdf', page: 2, pageEnd: 2, charStart: 10, charEnd: 20, quote: 'quoted', score: 0.5 };
const stats: AnswerStats = {
  promptTokens: 10, completionTokens: 5, tokensPerSecond: 3.5, latencyMs: 120, retrievalMs: 4, firstTokenMs: 20, costMicros: 3,
  cloudEquivalent: [{ model: 'gpt-4o', costMicros: 75 }], requestIds: ['r1'], model: 'm',
};

describe('ChatHistoryStore', () => {
  it('persists conversations and messages (citations, stats, settings) across reopen, newest conversation first', async () => {
    let t = 1000;
    const store = await ChatHistoryStore.open({ dataDir: dir, now: () => t++ });
    const a = store.createConversation('  What is   in a.pdf?  ');
    const b = store.createConversation('Second');
    store.append(a.id, [
      { role: 'user', text: 'What is in a.pdf?', citations: [], stats: null, status: null, settings: null },
      { role: 'assistant', text: 'Quoted [1].', citations: [citation], stats, status: 'answered', settings: { mode: 'bm25', alpha: 0.5, rerank: false, k: 3, compression: 'none' } },
    ]);
    store.dispose();
    store.dispose(); // idempotent

    const reopened = await ChatHistoryStore.open({ dataDir: dir });
    try {
      expect(reopened.listConversations().map((c) => [c.id, c.title, c.messageCount])).toEqual([
        [a.id, 'What is in a.pdf?', 2],
        [b.id, 'Second', 0],
      ]);
      const msgs = reopened.messages(a.id);
      expect(msgs.map((m) => m.role)).toEqual(['user', 'assistant']);
      expect(msgs[1]).toMatchObject({ text: 'Quoted [1].', citations: [citation], stats, status: 'answered', settings: { mode: 'bm25', k: 3 } });
      expect(reopened.deleteConversation(a.id)).toBe(true);
      expect(reopened.deleteConversation(a.id)).toBe(false);
      expect(() => reopened.messages(a.id)).toThrow(ConversationNotFoundError);
      expect(() => reopened.append(a.id, [])).toThrow(ConversationNotFoundError);
      expect(reopened.listConversations().map((c) => c.id)).toEqual([b.id]);
    } finally {
      reopened.dispose();
    }
  });

  it('rejects a stored row that no longer matches the schema instead of returning it malformed', async () => {
    const store = await ChatHistoryStore.open({ dataDir: dir });
    const c = store.createConversation('q');
    store.append(c.id, [{ role: 'assistant', text: 'x', citations: [{ ...citation, page: 1.5 } as Citation], stats: null, status: 'answered', settings: null }]);
    expect(() => store.messages(c.id)).toThrow();
    store.dispose();
  });
});
