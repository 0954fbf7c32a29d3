import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { AnswerStats, ChatAnswerStatus, ChatRetrievalSettings, Citation, type ChatMessageRecord, type ConversationSummary } from '../../../shared/schemas/chat.js';
import { ConversationNotFoundError } from './ConversationNotFoundError.js';

/** One schema step; `up` runs in the transaction that bumps `user_version`. Never edit a shipped step. */
const MIGRATIONS: readonly { version: number; up: (db: Database.Database) => void }[] = [
  {
    version: 1,
    up: (db) =>
      db.exec(`
        CREATE TABLE conversations (
          id TEXT PRIMARY KEY NOT NULL,
          title TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE messages (
          id TEXT PRIMARY KEY NOT NULL,
          conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
          seq INTEGER NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
          text TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          citations_json TEXT NOT NULL DEFAULT '[]',
          stats_json TEXT,
          status TEXT,
          settings_json TEXT,
          UNIQUE (conversation_id, seq)
        );
        CREATE INDEX conversations_updated ON conversations (updated_at DESC);
      `),
  },
];

const Citations = z.array(Citation);

interface MessageRow {
  id: string;
  conversation_id: string;
  role: 'user' | 'assistant';
  text: string;
  created_at: number;
  citations_json: string;
  stats_json: string | null;
  status: string | null;
  settings_json: string | null;
}

/** What a caller appends; id and time are assigned by the store. */
export type NewChatMessage = Omit<ChatMessageRecord, 'id' | 'conversationId' | 'createdAt'>;

/**
 * Persisted chat history: conversations and their messages (with citations, stats and the retrieval settings used)
 * in one SQLite file (`<dataDir>/chat.sqlite`, WAL). Prepared statements only; JSON columns are re-validated with the
 * shared zod schemas on read, so a hand-edited row fails loudly instead of reaching the UI malformed.
 * Trade-off: citations are stored as JSON with the message (read together, never queried alone) rather than as rows.
 */
export class ChatHistoryStore {
  private disposed = false;
  private readonly stmts;

  private constructor(private readonly db: Database.Database, private readonly now: () => number) {
    this.stmts = {
      insertConversation: db.prepare('INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)'),
      touch: db.prepare('UPDATE conversations SET updated_at = ? WHERE id = ?'),
      getConversation: db.prepare(
        `SELECT c.id, c.title, c.created_at AS createdAt, c.updated_at AS updatedAt,
          (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS messageCount
         FROM conversations c WHERE c.id = ?`,
      ),
      list: db.prepare(
        `SELECT c.id, c.title, c.created_at AS createdAt, c.updated_at AS updatedAt,
          (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS messageCount
         FROM conversations c ORDER BY c.updated_at DESC, c.id DESC LIMIT ?`,
      ),
      nextSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM messages WHERE conversation_id = ?'),
      insertMessage: db.prepare(
        `INSERT INTO messages (id, conversation_id, seq, role, text, created_at, citations_json, stats_json, status, settings_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      messages: db.prepare('SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq'),
      deleteConversation: db.prepare('DELETE FROM conversations WHERE id = ?'),
    };
  }

  static async open(options: { dataDir: string; fileName?: string; now?: () => number }): Promise<ChatHistoryStore> {
    await mkdir(options.dataDir, { recursive: true });
    const db = new Database(path.join(options.dataDir, options.fileName ?? 'chat.sqlite'));
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      const current = db.pragma('user_version', { simple: true }) as number;
      for (const m of MIGRATIONS) {
        if (m.version <= current) continue;
        db.transaction(() => {
          m.up(db);
          db.pragma(`user_version = ${Number(m.version)}`);
        })();
      }
      return new ChatHistoryStore(db, options.now ?? Date.now);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Starts a conversation titled after its first question (first 80 characters). */
  createConversation(firstQuestion: string): ConversationSummary {
    this.check();
    const id = randomUUID();
    const now = this.now();
    const title = firstQuestion.replace(/\s+/g, ' ').trim().slice(0, 80) || 'Untitled';
    this.stmts.insertConversation.run(id, title, now, now);
    return { id, title, createdAt: now, updatedAt: now, messageCount: 0 };
  }

  getConversation(id: string): ConversationSummary {
    this.check();
    const row = this.stmts.getConversation.get(id) as ConversationSummary | undefined;
    if (row === undefined) throw new ConversationNotFoundError(id);
    return row;
  }

  /** Most recently active first. */
  listConversations(limit = 200): ConversationSummary[] {
    this.check();
    return this.stmts.list.all(limit) as ConversationSummary[];
  }

  /** Appends messages in order, in one transaction. */
  append(conversationId: string, messages: readonly NewChatMessage[]): ChatMessageRecord[] {
    this.check();
    return this.db.transaction(() => {
      this.getConversation(conversationId);
      const now = this.now();
      let seq = (this.stmts.nextSeq.get(conversationId) as { seq: number }).seq;
      const out = messages.map((m) => {
        const record: ChatMessageRecord = { ...m, id: randomUUID(), conversationId, createdAt: now };
        this.stmts.insertMessage.run(
          record.id, conversationId, seq++, m.role, m.text, now, JSON.stringify(m.citations),
          m.stats === null ? null : JSON.stringify(m.stats), m.status, m.settings === null ? null : JSON.stringify(m.settings),
        );
        return record;
      });
      this.stmts.touch.run(now, conversationId);
      return out;
    })();
  }

  messages(conversationId: string): ChatMessageRecord[] {
    this.check();
    this.getConversation(conversationId);
    return (this.stmts.messages.all(conversationId) as MessageRow[]).map((r) => ({
      id: r.id,
      conversationId: r.conversation_id,
      role: r.role,
      text: r.text,
      createdAt: r.created_at,
      citations: Citations.parse(JSON.parse(r.citations_json)),
      stats: r.stats_json === null ? null : AnswerStats.parse(JSON.parse(r.stats_json)),
      status: r.status === null ? null : ChatAnswerStatus.parse(r.status),
      settings: r.settings_json === null ? null : ChatRetrievalSettings.parse(JSON.parse(r.settings_json)),
    }));
  }

  /** Deletes a conversation and its messages; false when there was none. */
  deleteConversation(id: string): boolean {
    this.check();
    return this.stmts.deleteConversation.run(id).changes > 0;
  }

  private check(): void {
    if (this.disposed) throw new Error('ChatHistoryStore used after dispose()');
  }

  /** Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.db.close();
  }
}
