import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { CacheEmbedder } from './CacheEmbedder.js';
import type { CacheKeyInput } from './CacheKeyInput.js';
import { cacheKey } from './cacheKey.js';
import { CacheStorageError } from './CacheStorageError.js';
import { lexicalSignature } from './lexicalSignature.js';

export interface ResponseCacheOptions {
  /** The SQLite file; or give `dir` and the file is `<dir>/response-cache.sqlite`. */
  file?: string;
  dir?: string;
  /** Enables the semantic layer. Without it only exact hits are served. */
  embedder?: CacheEmbedder;
  /** Cosine similarity for a semantic hit. Default 0.95: near-duplicates (case, punctuation, filler words), not topical neighbours. */
  semanticThreshold?: number;
  /**
   * Whether the semantic layer is used (when an embedder is given). Default true. Off: lookups are exact only and
   * stores skip the embedding (so a lazily loaded embedder is never loaded for the cache).
   */
  semanticEnabled?: boolean;
  /** Default time to live of an entry. Default 7 days. */
  ttlMs?: number;
  /**
   * Semantic lookup is a brute-force cosine over the live entries of the request's scope (same model, schema/grammar,
   * corpus version, params), newest first, at most this many rows, held in memory per scope after the first lookup
   * (~1.5 KB per 384-d entry: 50k entries ≈ 75 MB). Measured (`npm run bench:cache`, 384-d, 2-core machine shared at
   * load average 6–10): 10k entries — first lookup 120 ms (load), then ~21–29 ms; 50k — first ~1.3 s, then ~90–150 ms.
   * Reading rows out of SQLite on every lookup instead was 170 ms / 1.1 s. So ~50k per scope is the limit; beyond it
   * use an ANN index. Exact hits stay ~0.3 ms at any size. Default 50_000.
   */
  maxSemanticCandidates?: number;
  /** ms clock (TTL). Default Date.now. */
  now?: () => number;
}

/** The answer stored for a request. */
export interface CachedResponse {
  text: string;
  /**
   * Wall time the original generation took, ms; null/absent when unknown (entries written before it was stored).
   * Lets a local model's hit be credited with the energy/amortisation cost the miss would have had.
   */
  latencyMs?: number | null;
  /** The provider and model that actually produced it. */
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  finishReason: 'stop' | 'length' | 'cancelled' | 'grammar';
}

export interface CacheHit extends CachedResponse {
  kind: 'exact' | 'semantic';
  /** 1 for exact hits. */
  similarity: number;
  key: string;
  createdAt: number;
}

export interface CacheStats {
  entries: number;
  hits: number;
  exactHits: number;
  semanticHits: number;
  misses: number;
  /** hits / (hits + misses), 0 before any lookup. */
  hitRate: number;
  /** Lookups where a paraphrase scored above the threshold but the lexical guard refused it (counted as misses). */
  semanticGuarded: number;
}

interface ScopeVectors {
  keys: string[];
  vectors: Float32Array[];
  expires: number[];
  /** `lexicalSignature` of each entry's semantic text; null for entries stored before it was kept (never served). */
  signatures: (string | null)[];
}

interface EntryRow {
  key: string;
  response: string;
  provider: string;
  model: string;
  prompt_tokens: number;
  completion_tokens: number;
  finish_reason: string;
  created_at: number;
  latency_ms: number | null;
}

/** What can change on a live cache (Settings → Cache). */
export interface CachePolicy {
  semanticThreshold: number;
  semanticEnabled: boolean;
  ttlMs: number;
}

/**
 * Exact + semantic response cache in its own SQLite file (WAL, prepared statements only). Entries remember the
 * document ids they were built from, so a changed document evicts exactly the answers that quoted it.
 *
 * Trade-off: the semantic layer trades a small risk of serving a near-duplicate's answer for hit rate; it never
 * crosses a scope (model, schema/grammar, corpus version, generation params, the prompt around the paraphrasable
 * part), 0.95 keeps it to paraphrases, and constrained requests (extraction) are exact-only unless the caller marks
 * the paraphrasable part (`CacheKeyInput.semanticText`; see `cacheKey`). A lexical guard (`lexicalSignature`) then
 * refuses a semantic hit whose prompt differs in numbers, negations or quoted strings ("two sentences" vs "three
 * sentences" scores 0.989 with USE-Lite): such a lookup is a miss, trading a few lost hits for never replaying an
 * answer to a different instruction. The next most similar entry that passes the guard is served instead.
 * Lookups count hits and misses in the file, so hit rate survives restarts; money saved is reported per hit by the
 * request pipeline to the ledger (cacheHit rows carry the cost the miss would have had). One process (main) owns the
 * file: semantic vectors are cached in memory and another writer's entries would not be seen until a scope reloads.
 */
export class ResponseCache {
  readonly file: string;
  private policy: CachePolicy;
  private readonly maxCandidates: number;
  /** The last failure of the semantic layer (embedder load/embed), null once it works again. */
  private semanticFailure: unknown = null;
  private disposed = false;
  private readonly vectorIndex = new Map<string, ScopeVectors>();
  private lastEmbedded: { text: string; vector: Float32Array } | null = null;
  private readonly stmts: ReturnType<typeof prepare>;

  private constructor(
    private readonly db: Database.Database,
    file: string,
    private readonly embedder: CacheEmbedder | undefined,
    options: ResponseCacheOptions,
    policy: CachePolicy,
    private readonly now: () => number,
  ) {
    this.file = file;
    this.policy = policy;
    this.stmts = prepare(db);
    this.maxCandidates = Math.max(1, Math.floor(options.maxSemanticCandidates ?? 50_000));
  }

  static async open(options: ResponseCacheOptions): Promise<ResponseCache> {
    const file = options.file ?? (options.dir !== undefined ? path.join(options.dir, 'response-cache.sqlite') : undefined);
    if (file === undefined) throw new CacheStorageError('(none)', 'open', new Error('give `file` or `dir`'));
    // validated before the file is opened, so a bad option leaks no handle
    const policy = validPolicy({
      semanticThreshold: options.semanticThreshold ?? 0.95,
      semanticEnabled: options.semanticEnabled ?? true,
      ttlMs: options.ttlMs ?? 7 * 24 * 3600_000,
    });
    let db: Database.Database;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      // semantic scans read every vector of a scope: map the file instead of copying pages through a 2 MB cache
      db.pragma('mmap_size = 268435456');
      db.exec(SCHEMA);
      migrate(db);
    } catch (err) {
      throw new CacheStorageError(file, 'open', err);
    }
    return new ResponseCache(db, file, options.embedder, options, policy, options.now ?? Date.now);
  }

  /** Cosine similarity needed for a semantic hit. */
  get semanticThreshold(): number {
    return this.policy.semanticThreshold;
  }

  /** Default TTL of new entries (existing entries keep the expiry they were stored with). */
  get ttlMs(): number {
    return this.policy.ttlMs;
  }

  /** Whether lookups can be semantic: an embedder is attached and the layer is enabled. */
  get semanticActive(): boolean {
    return this.embedder !== undefined && this.policy.semanticEnabled;
  }

  /** The embedder whose vectors are compared (its id scopes every vector), if any. */
  get embedderId(): string | null {
    return this.embedder?.id ?? null;
  }

  /**
   * The last error of the semantic layer (e.g. the embedder failed to load), or null. Such a failure does not fail the
   * request: the lookup falls back to exact matching, the error is logged once per message and kept here for status
   * screens — an answer must not be blocked because the optional similarity search is broken.
   */
  get semanticError(): unknown {
    return this.semanticFailure;
  }

  /** Changes threshold / TTL / semantic switch at runtime (Settings). Throws RangeError for out-of-range values. */
  setPolicy(patch: Partial<CachePolicy>): void {
    this.policy = validPolicy({ ...this.policy, ...patch });
  }

  /**
   * Exact lookup first, then (with an embedder, the semantic layer on, and a request `cacheKey` marks `semantic`)
   * the most similar live entry of the same scope. Uncacheable requests return null. `countMiss: false` when the caller will look up again (e.g. the next model of a fallback chain), so
   * one logical request counts one miss. Default true.
   */
  async lookup(input: CacheKeyInput, options: { countMiss?: boolean } = {}): Promise<CacheHit | null> {
    this.assertOpen();
    const k = cacheKey(input);
    if (!k.cacheable) return null;
    const now = this.now();
    const exact = this.stmts.getExact.get(k.key, now) as EntryRow | undefined;
    if (exact !== undefined) {
      this.count(exact.key, 'exact');
      return toHit(exact, 'exact', 1);
    }
    const query = this.semanticActive && k.semantic ? await this.tryEmbed(k.semanticText) : null;
    let guarded = false;
    if (query !== null) {
      const signature = lexicalSignature(k.semanticText);
      const above: { i: number; sim: number }[] = [];
      const index = this.scopeVectors(k.scope, this.embedder!.id, now);
      for (let i = 0; i < index.keys.length; i++) {
        if (index.expires[i]! <= now) continue;
        const sim = cosine(query, index.vectors[i]!);
        if (sim >= this.policy.semanticThreshold) above.push({ i, sim });
      }
      above.sort((a, b) => b.sim - a.sim);
      for (const { i, sim } of above) {
        if (index.signatures[i] !== signature) {
          guarded = true;
          continue;
        }
        const row = this.stmts.getExact.get(index.keys[i]!, now) as EntryRow | undefined;
        if (row !== undefined) {
          this.count(row.key, 'semantic');
          return toHit(row, 'semantic', sim);
        }
      }
    }
    if (options.countMiss ?? true) {
      this.stmts.bump.run('misses');
      if (guarded) this.stmts.bump.run('semantic_guarded');
    }
    return null;
  }

  /**
   * Stores an answer (no-op for uncacheable requests; returns whether it stored). `docIds`: the documents the
   * prompt quoted, for `invalidateByDocument`. Replaces an entry with the same key.
   */
  async store(input: CacheKeyInput, response: CachedResponse, options: { docIds?: readonly string[]; ttlMs?: number } = {}): Promise<boolean> {
    this.assertOpen();
    const k = cacheKey(input);
    if (!k.cacheable) return false;
    const vector = this.semanticActive && k.semantic ? await this.tryEmbed(k.semanticText) : null;
    const now = this.now();
    const write = this.db.transaction(() => {
      this.stmts.deleteKey.run(k.key);
      this.stmts.insert.run({
        key: k.key,
        scope: k.scope,
        model: input.model,
        corpus_version: input.corpusVersion ?? null,
        prompt: k.text,
        semantic_text: vector === null ? null : k.semanticText,
        embedder_id: vector === null ? null : this.embedder!.id,
        vector: vector === null ? null : Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
        response: response.text,
        provider: response.provider,
        response_model: response.model,
        prompt_tokens: response.promptTokens,
        completion_tokens: response.completionTokens,
        finish_reason: response.finishReason,
        latency_ms: response.latencyMs ?? null,
        created_at: now,
        expires_at: now + (options.ttlMs ?? this.policy.ttlMs),
      });
      for (const docId of new Set(options.docIds ?? [])) this.stmts.insertDoc.run(k.key, docId);
    });
    try {
      write();
    } catch (err) {
      throw new CacheStorageError(this.file, 'store', err);
    }
    const index = vector === null ? undefined : this.vectorIndex.get(`${k.scope}\u0000${this.embedder!.id}`);
    if (index !== undefined && vector !== null) {
      const old = index.keys.indexOf(k.key);
      if (old >= 0) for (const arr of [index.keys, index.vectors, index.expires, index.signatures]) arr.splice(old, 1);
      index.keys.unshift(k.key);
      index.vectors.unshift(vector);
      index.expires.unshift(now + (options.ttlMs ?? this.policy.ttlMs));
      index.signatures.unshift(lexicalSignature(k.semanticText));
      if (index.keys.length > this.maxCandidates) for (const arr of [index.keys, index.vectors, index.expires, index.signatures]) arr.pop();
    }
    return true;
  }

  /** A document changed or was deleted: drops every entry built from it. Returns the number of entries removed. */
  invalidateByDocument(docId: string): number {
    this.assertOpen();
    this.vectorIndex.clear();
    return this.stmts.deleteByDoc.run(docId).changes;
  }

  /**
   * The corpus moved on to `currentVersion`: drops every entry built on any OTHER corpus version (they can never
   * hit again, since the version is part of the key). Entries that involve no corpus (null version) stay.
   */
  invalidateCorpus(currentVersion: string): number {
    this.assertOpen();
    this.vectorIndex.clear();
    return this.stmts.deleteOtherCorpus.run(currentVersion).changes;
  }

  /**
   * Deletes every entry (Settings → Clear cache). Hit/miss counters are kept: they describe past lookups, not
   * entries. Returns the number of entries removed.
   */
  clear(): number {
    this.assertOpen();
    this.vectorIndex.clear();
    this.lastEmbedded = null;
    try {
      return this.stmts.deleteAll.run().changes;
    } catch (err) {
      throw new CacheStorageError(this.file, 'clear', err);
    }
  }

  /** Deletes expired entries (lookups already ignore them). */
  purgeExpired(): number {
    this.assertOpen();
    this.vectorIndex.clear();
    return this.stmts.deleteExpired.run(this.now()).changes;
  }

  stats(): CacheStats {
    this.assertOpen();
    const counters = new Map((this.stmts.readStats.all() as { name: string; value: number }[]).map((r) => [r.name, r.value]));
    const exactHits = counters.get('exact_hits') ?? 0;
    const semanticHits = counters.get('semantic_hits') ?? 0;
    const misses = counters.get('misses') ?? 0;
    const hits = exactHits + semanticHits;
    const entries = (this.stmts.countLive.get(this.now()) as { n: number }).n;
    const semanticGuarded = counters.get('semantic_guarded') ?? 0;
    return { entries, hits, exactHits, semanticHits, misses, hitRate: hits + misses === 0 ? 0 : hits / (hits + misses), semanticGuarded };
  }

  /** Idempotent. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.vectorIndex.clear();
    this.db.close();
  }

  /**
   * The live vectors of one scope, loaded from SQLite on first use and kept in memory (newest first, at most
   * maxSemanticCandidates), updated by `store` and dropped wholesale by any invalidation. At most 16 scopes are held
   * (least recently loaded evicted). Assumes this process is the only writer of the file (the main process owns it).
   */
  private scopeVectors(scope: string, embedderId: string, now: number): ScopeVectors {
    const id = `${scope}\u0000${embedderId}`;
    let index = this.vectorIndex.get(id);
    if (index === undefined) {
      // .raw().all() in one step: row objects and per-row iterator steps cost more than the dot products
      const rows = this.stmts.candidates.raw(true).all(scope, embedderId, now, this.maxCandidates) as [string, Buffer, number, string | null][];
      index = {
        keys: rows.map((r) => r[0]),
        vectors: rows.map((r) => toFloat32(r[1])),
        expires: rows.map((r) => r[2]),
        signatures: rows.map((r) => (r[3] === null ? null : lexicalSignature(r[3]))),
      };
      this.vectorIndex.set(id, index);
      if (this.vectorIndex.size > 16) this.vectorIndex.delete(this.vectorIndex.keys().next().value!);
    }
    return index;
  }

  private count(key: string, kind: 'exact' | 'semantic'): void {
    this.stmts.bump.run(kind === 'exact' ? 'exact_hits' : 'semantic_hits');
    this.stmts.touch.run(key);
  }

  /** embedText, but a failing embedder degrades to exact-only (see `semanticError`) instead of failing the request. */
  private async tryEmbed(text: string): Promise<Float32Array | null> {
    try {
      const vector = await this.embedText(text);
      this.semanticFailure = null;
      return vector;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const previous = this.semanticFailure instanceof Error ? this.semanticFailure.message : String(this.semanticFailure);
      if (this.semanticFailure === null || previous !== message) console.error('[cache] semantic layer unavailable, serving exact hits only', error);
      this.semanticFailure = error;
      return null;
    }
  }

  private async embedText(text: string): Promise<Float32Array> {
    if (this.lastEmbedded?.text === text) return this.lastEmbedded.vector;
    const [vector] = await this.embedder!.embed([text]);
    if (vector === undefined || vector.length !== this.embedder!.dimensions) {
      throw new CacheStorageError(this.file, 'embed', new Error(`embedder ${this.embedder!.id} returned a vector of the wrong size`));
    }
    this.lastEmbedded = { text, vector };
    return vector;
  }

  private assertOpen(): void {
    if (this.disposed) throw new CacheStorageError(this.file, 'use after dispose', new Error('the cache is closed'));
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS cache_entries (
  key TEXT PRIMARY KEY,
  scope TEXT NOT NULL,
  model TEXT NOT NULL,
  corpus_version TEXT,
  prompt TEXT NOT NULL,
  embedder_id TEXT,
  vector BLOB,
  response TEXT NOT NULL,
  provider TEXT NOT NULL,
  response_model TEXT NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  finish_reason TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  hit_count INTEGER NOT NULL DEFAULT 0,
  latency_ms REAL,
  semantic_text TEXT
);
CREATE INDEX IF NOT EXISTS cache_entries_scope ON cache_entries(scope, embedder_id, created_at);
CREATE TABLE IF NOT EXISTS cache_docs (
  doc_id TEXT NOT NULL,
  key TEXT NOT NULL REFERENCES cache_entries(key) ON DELETE CASCADE,
  PRIMARY KEY (doc_id, key)
);
CREATE INDEX IF NOT EXISTS cache_docs_key ON cache_docs(key);
CREATE TABLE IF NOT EXISTS cache_stats (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

function prepare(db: Database.Database) {
  return {
    getExact: db.prepare(
      `SELECT key, response, provider, response_model AS model, prompt_tokens, completion_tokens, finish_reason, created_at, latency_ms
       FROM cache_entries WHERE key = ? AND expires_at > ?`,
    ),
    candidates: db.prepare(
      `SELECT key, vector, expires_at, semantic_text FROM cache_entries
       WHERE scope = ? AND embedder_id = ? AND expires_at > ? AND vector IS NOT NULL
       ORDER BY created_at DESC LIMIT ?`,
    ),
    deleteKey: db.prepare('DELETE FROM cache_entries WHERE key = ?'),
    insert: db.prepare(
      `INSERT INTO cache_entries (key, scope, model, corpus_version, prompt, semantic_text, embedder_id, vector, response, provider, response_model,
         prompt_tokens, completion_tokens, finish_reason, latency_ms, created_at, expires_at)
       VALUES (@key, @scope, @model, @corpus_version, @prompt, @semantic_text, @embedder_id, @vector, @response, @provider, @response_model,
         @prompt_tokens, @completion_tokens, @finish_reason, @latency_ms, @created_at, @expires_at)`,
    ),
    insertDoc: db.prepare('INSERT OR IGNORE INTO cache_docs (key, doc_id) VALUES (?, ?)'),
    deleteByDoc: db.prepare('DELETE FROM cache_entries WHERE key IN (SELECT key FROM cache_docs WHERE doc_id = ?)'),
    deleteOtherCorpus: db.prepare('DELETE FROM cache_entries WHERE corpus_version IS NOT NULL AND corpus_version <> ?'),
    deleteExpired: db.prepare('DELETE FROM cache_entries WHERE expires_at <= ?'),
    deleteAll: db.prepare('DELETE FROM cache_entries'),
    bump: db.prepare('INSERT INTO cache_stats (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1'),
    touch: db.prepare('UPDATE cache_entries SET hit_count = hit_count + 1 WHERE key = ?'),
    readStats: db.prepare('SELECT name, value FROM cache_stats'),
    countLive: db.prepare('SELECT COUNT(*) AS n FROM cache_entries WHERE expires_at > ?'),
  };
}

function toHit(row: EntryRow, kind: 'exact' | 'semantic', similarity: number): CacheHit {
  return {
    kind,
    similarity,
    key: row.key,
    createdAt: row.created_at,
    text: row.response,
    provider: row.provider,
    model: row.model,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    finishReason: row.finish_reason as CachedResponse['finishReason'],
    latencyMs: row.latency_ms,
  };
}

/**
 * Files written before `latency_ms` / `semantic_text` existed get the columns (NULL for old rows: unknown latency;
 * no lexical signature, so old entries are served by exact hits only).
 */
function migrate(db: Database.Database): void {
  const columns = db.prepare('PRAGMA table_info(cache_entries)').all() as { name: string }[];
  if (!columns.some((c) => c.name === 'latency_ms')) db.exec('ALTER TABLE cache_entries ADD COLUMN latency_ms REAL');
  if (!columns.some((c) => c.name === 'semantic_text')) db.exec('ALTER TABLE cache_entries ADD COLUMN semantic_text TEXT');
}

function validPolicy(p: CachePolicy): CachePolicy {
  if (!(p.semanticThreshold > 0 && p.semanticThreshold <= 1)) throw new RangeError(`semanticThreshold must be in (0, 1], got ${p.semanticThreshold}`);
  if (!(Number.isFinite(p.ttlMs) && p.ttlMs > 0)) throw new RangeError(`ttlMs must be a positive number of ms, got ${p.ttlMs}`);
  return { ...p };
}

function toFloat32(buf: Buffer): Float32Array {
  if (buf.byteOffset % 4 === 0) return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  // copy: a Buffer's byteOffset may not be 4-aligned
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return new Float32Array(copy.buffer);
}

function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return -1;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
