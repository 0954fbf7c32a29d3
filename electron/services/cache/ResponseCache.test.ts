import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CacheKeyInput } from './CacheKeyInput.js';
import { cacheKey } from './cacheKey.js';
import { ResponseCache } from './ResponseCache.js';
import { HashingEmbedder } from './testing/HashingEmbedder.js';

let dir: string;
let t: number;
const now = () => t;
const answer = { text: 'Paris.', provider: 'openai-compatible:a', model: 'm1', promptTokens: 12, completionTokens: 2, finishReason: 'stop' as const };
const input = (content: string, extra: Partial<CacheKeyInput> = {}): CacheKeyInput => ({
  model: 'm1',
  messages: [{ role: 'user', content }],
  params: { maxTokens: 32, temperature: 0 },
  ...extra,
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-cache-'));
  t = 1_000_000;
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('cacheKey', () => {
  it('normalises line endings and trailing space but keeps case; scope ignores the prompt', () => {
    const k1 = cacheKey(input('Hello  world \r\nsecond line  '));
    expect(cacheKey(input('Hello  world\nsecond line')).key).toBe(k1.key);
    expect(cacheKey(input('hello  world\nsecond line')).key).not.toBe(k1.key);
    expect(cacheKey(input('something else')).scope).toBe(k1.scope);
    for (const other of [
      input('Hello  world\nsecond line', { model: 'm2' }),
      input('Hello  world\nsecond line', { schemaHash: 's' }),
      input('Hello  world\nsecond line', { corpusVersion: 'v2' }),
      input('Hello  world\nsecond line', { params: { maxTokens: 33, temperature: 0 } }),
    ]) {
      expect(cacheKey(other).scope).not.toBe(k1.scope);
    }
  });
  it('embeds only the paraphrasable part: the last message, or the semanticText hint; the rest joins the scope', () => {
    const chat = (system: string, user: string, extra: Partial<CacheKeyInput> = {}) =>
      input('', { messages: [{ role: 'system', content: system }, { role: 'user', content: user }], ...extra });
    const k = cacheKey(chat('Be brief.', 'What is the capital of France?'));
    expect(k.semanticText).toBe('What is the capital of France?');
    expect(cacheKey(chat('Be brief.', 'Something else')).scope).toBe(k.scope);
    expect(cacheKey(chat('Be verbose.', 'What is the capital of France?')).scope).not.toBe(k.scope);
    const rag = (question: string, passages = 'The boiler pressure must stay below 2 bar. The tank holds 200 litres.') =>
      input(`Sources:\n${passages}\n\nQuestion: ${question}`, { semanticText: question });
    const r = cacheKey(rag('What pressure must the boiler stay below?'));
    expect(r.semanticText).toBe('What pressure must the boiler stay below?');
    expect(cacheKey(rag('How big is the tank?')).scope).toBe(r.scope);
    expect(cacheKey(rag('What pressure must the boiler stay below?', 'Other passages.')).scope).not.toBe(r.scope);
    expect(r.semantic).toBe(true);
    expect(cacheKey(input('x', { grammarHash: 'g' })).semantic).toBe(false);
    expect(cacheKey(input('Question: x', { grammarHash: 'g', semanticText: 'x' })).semantic).toBe(true); // hinted
    // a hint that is not in the prompt is ignored: the whole prompt is embedded
    expect(cacheKey(input('plain prompt', { semanticText: 'absent' })).semanticText).toBe('plain prompt');
  });

  it('caches greedy or seeded requests only', () => {
    expect(cacheKey(input('x')).cacheable).toBe(true);
    expect(cacheKey(input('x', { params: { maxTokens: 1, temperature: 0.7 } })).cacheable).toBe(false);
    expect(cacheKey(input('x', { params: { maxTokens: 1, temperature: 0.7, seed: 3 } })).cacheable).toBe(true);
  });
});

describe('ResponseCache', () => {
  it('exact hit, persisted across reopen, with stats', async () => {
    let cache = await ResponseCache.open({ dir, now });
    expect(await cache.lookup(input('What is the capital of France?'))).toBeNull();
    expect(await cache.store(input('What is the capital of France?'), answer)).toBe(true);
    await cache.dispose();
    await cache.dispose(); // idempotent
    cache = await ResponseCache.open({ file: path.join(dir, 'response-cache.sqlite'), now });
    const hit = await cache.lookup(input('What is the capital of France?'));
    expect(hit).toMatchObject({ kind: 'exact', similarity: 1, ...answer });
    expect(await cache.lookup(input('What is the capital of France?', { model: 'm2' }))).toBeNull();
    expect(cache.stats()).toEqual({ entries: 1, hits: 1, exactHits: 1, semanticHits: 0, misses: 2, hitRate: 1 / 3, semanticGuarded: 0 });
    await cache.dispose();
    expect(fs.readFileSync(path.join(dir, 'response-cache.sqlite')).subarray(0, 15).toString()).toBe('SQLite format 3');
  });

  it('semantic hit above the threshold, same scope only; unrelated prompts miss', async () => {
    const embedder = new HashingEmbedder();
    const cache = await ResponseCache.open({ dir, embedder, now });
    await cache.store(input('What is the capital of France?'), answer);
    const hit = await cache.lookup(input('what is the CAPITAL of france'));
    expect(hit?.kind).toBe('semantic');
    expect(hit!.similarity).toBeGreaterThanOrEqual(0.95);
    expect(hit!.text).toBe('Paris.');
    expect(await cache.lookup(input('What is the capital of Germany?'))).toBeNull(); // shares 5/6 words: below 0.95
    expect(await cache.lookup(input('what is the capital of france', { schemaHash: 'other' }))).toBeNull();
    // constrained output (extraction) is exact-only: one changed number must not replay the other's values
    await cache.store(input('Invoice total 1234.56 due March 3', { schemaHash: 's1' }), answer);
    expect(await cache.lookup(input('invoice total 1234.56 due march 3', { schemaHash: 's1' }))).toBeNull();
    expect(await cache.lookup(input('Invoice total 1234.56 due March 3', { schemaHash: 's1' }))).toMatchObject({ kind: 'exact' });
    expect(await cache.lookup(input('Explain photosynthesis in plants.'))).toBeNull();
    expect(cache.stats()).toMatchObject({ semanticHits: 1, misses: 4 });
    // entries stored after the scope's vectors were loaded are found too, and a replaced answer wins
    await cache.store(input('How do plants make sugar from light?'), { ...answer, text: 'Photosynthesis.' });
    expect(await cache.lookup(input('how do plants make sugar from light'))).toMatchObject({ kind: 'semantic', text: 'Photosynthesis.' });
    await cache.store(input('How do plants make sugar from light?'), { ...answer, text: 'By photosynthesis.' });
    expect(await cache.lookup(input('HOW do plants make sugar from light'))).toMatchObject({ kind: 'semantic', text: 'By photosynthesis.' });
    // invalidation drops in-memory vectors as well
    await cache.store(input('Name a prime number.'), answer, { docIds: ['d'] });
    expect(await cache.lookup(input('name a prime number'))).not.toBeNull();
    cache.invalidateByDocument('d');
    expect(await cache.lookup(input('name a prime number'))).toBeNull();
    await cache.dispose();
  });

  it('with a semanticText hint, different questions over the same passages do not look alike', async () => {
    const passages = Array.from({ length: 40 }, (_, i) => `Passage sentence number ${i} about the heating system and its parts.`).join(' ');
    const rag = (question: string, hinted: boolean) =>
      input(`${passages}\n\nQuestion: ${question}`, hinted ? { semanticText: question } : {});
    for (const hinted of [false, true]) {
      const cache = await ResponseCache.open({ file: path.join(dir, `rag-${hinted}.sqlite`), embedder: new HashingEmbedder(), now });
      await cache.store(rag('What pressure must the boiler stay below?', hinted), answer);
      const other = await cache.lookup(rag('How many litres does the tank hold?', hinted));
      // without the hint the shared passages dominate the vector: a wrong answer would be replayed
      expect(other === null).toBe(hinted);
      expect((await cache.lookup(rag('what pressure must the boiler stay below', hinted)))?.kind).toBe('semantic');
      await cache.dispose();
    }
  });

  it('a lower threshold admits looser paraphrases', async () => {
    const cache = await ResponseCache.open({ dir, embedder: new HashingEmbedder(), semanticThreshold: 0.7, now });
    await cache.store(input('What is the capital of France?'), answer);
    expect((await cache.lookup(input('What is the capital of France please?')))?.kind).toBe('semantic');
    await cache.dispose();
  });

  it('entries expire after their TTL', async () => {
    const cache = await ResponseCache.open({ dir, embedder: new HashingEmbedder(), ttlMs: 1000, now });
    await cache.store(input('q1'), answer);
    await cache.store(input('q2'), answer, { ttlMs: 10_000 });
    t += 999;
    expect(await cache.lookup(input('q1'))).not.toBeNull();
    expect((await cache.lookup(input('Q1')))?.kind).toBe('semantic'); // loads the scope's vectors into memory
    t += 1;
    expect(await cache.lookup(input('q1'))).toBeNull();
    expect(await cache.lookup(input('Q1'))).toBeNull(); // nor semantically
    expect(await cache.lookup(input('q2'))).not.toBeNull();
    expect(cache.stats().entries).toBe(1);
    expect(cache.purgeExpired()).toBe(1);
    await cache.dispose();
  });

  it('invalidates by document and by corpus version', async () => {
    const cache = await ResponseCache.open({ dir, now });
    await cache.store(input('about a', { corpusVersion: 'v1' }), answer, { docIds: ['doc-a'] });
    await cache.store(input('about a and b', { corpusVersion: 'v1' }), answer, { docIds: ['doc-a', 'doc-b'] });
    await cache.store(input('about b', { corpusVersion: 'v2' }), answer, { docIds: ['doc-b'] });
    await cache.store(input('no documents'), answer);
    expect(cache.invalidateByDocument('doc-a')).toBe(2);
    expect(await cache.lookup(input('about a', { corpusVersion: 'v1' }))).toBeNull();
    expect(await cache.lookup(input('about b', { corpusVersion: 'v2' }))).not.toBeNull();
    expect(cache.invalidateByDocument('doc-a')).toBe(0);
    expect(cache.invalidateCorpus('v3')).toBe(1);
    expect(await cache.lookup(input('about b', { corpusVersion: 'v2' }))).toBeNull();
    expect(await cache.lookup(input('no documents'))).not.toBeNull();
    await cache.dispose();
  });

  it('does not store sampled requests and rejects use after dispose', async () => {
    const cache = await ResponseCache.open({ dir, now });
    expect(await cache.store(input('x', { params: { maxTokens: 4, temperature: 1 } }), answer)).toBe(false);
    expect(cache.stats().entries).toBe(0);
    await cache.dispose();
    await expect(cache.lookup(input('x'))).rejects.toMatchObject({ code: 'STORAGE_IO' });
  });

  it('policy changes apply live: threshold, TTL of new entries, and the semantic switch (no embedding when off)', async () => {
    const embedder = new HashingEmbedder();
    const cache = await ResponseCache.open({ dir, embedder, now });
    await cache.store(input('What is the capital of France?'), answer);
    expect((await cache.lookup(input('What is the capital of France please?')))).toBeNull(); // below 0.95
    cache.setPolicy({ semanticThreshold: 0.7 });
    expect((await cache.lookup(input('What is the capital of France please?')))?.kind).toBe('semantic');
    cache.setPolicy({ semanticEnabled: false });
    const calls = embedder.embedCalls;
    expect(await cache.lookup(input('what is the capital of france'))).toBeNull();
    expect(await cache.lookup(input('What is the capital of France?'))).toMatchObject({ kind: 'exact' }); // exact still served
    await cache.store(input('another question'), answer);
    expect(embedder.embedCalls).toBe(calls);
    cache.setPolicy({ semanticEnabled: true, ttlMs: 500 });
    await cache.store(input('short lived'), answer);
    t += 500;
    expect(await cache.lookup(input('short lived'))).toBeNull();
    expect(await cache.lookup(input('What is the capital of France?'))).not.toBeNull(); // stored under the old TTL
    expect(() => cache.setPolicy({ semanticThreshold: 1.5 })).toThrow(RangeError);
    expect(() => cache.setPolicy({ ttlMs: 0 })).toThrow(RangeError);
    expect(cache.semanticThreshold).toBe(0.7);
    await cache.dispose();
  });

  it('a failing embedder degrades to exact hits and reports the error instead of failing the request', async () => {
    let fail = true;
    const inner = new HashingEmbedder();
    const flaky = {
      id: inner.id,
      dimensions: inner.dimensions,
      embed: async (texts: readonly string[]) => {
        if (fail) throw new Error('embedder model missing');
        return inner.embed(texts);
      },
      countTokens: (text: string) => inner.countTokens(text),
      dispose: async () => {},
    };
    const cache = await ResponseCache.open({ dir, embedder: flaky, now });
    expect(await cache.store(input('What is the capital of France?'), answer)).toBe(true);
    expect(await cache.lookup(input('What is the capital of France?'))).toMatchObject({ kind: 'exact' });
    expect(await cache.lookup(input('what is the capital of france'))).toBeNull();
    expect((cache.semanticError as Error).message).toBe('embedder model missing');
    fail = false;
    await cache.store(input('Name a prime number.'), answer);
    expect(cache.semanticError).toBeNull();
    expect(await cache.lookup(input('name a prime number'))).toMatchObject({ kind: 'semantic' });
    await cache.dispose();
  });

  it('stores the original latency, and adds the column to files written before it existed', async () => {
    const file = path.join(dir, 'old.sqlite');
    let cache = await ResponseCache.open({ file, now });
    await cache.store(input('q'), { ...answer, latencyMs: 1234.5 });
    expect(await cache.lookup(input('q'))).toMatchObject({ latencyMs: 1234.5 });
    await cache.dispose();
    // an old file: the same table without latency_ms (its schema before this column existed)
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(file);
    db.exec(`PRAGMA foreign_keys = OFF;
      CREATE TABLE old (key TEXT PRIMARY KEY, scope TEXT NOT NULL, model TEXT NOT NULL, corpus_version TEXT, prompt TEXT NOT NULL,
        embedder_id TEXT, vector BLOB, response TEXT NOT NULL, provider TEXT NOT NULL, response_model TEXT NOT NULL,
        prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, finish_reason TEXT NOT NULL, created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL, hit_count INTEGER NOT NULL DEFAULT 0);
      INSERT INTO old SELECT key, scope, model, corpus_version, prompt, embedder_id, vector, response, provider, response_model,
        prompt_tokens, completion_tokens, finish_reason, created_at, expires_at, hit_count FROM cache_entries;
      DROP TABLE cache_entries; ALTER TABLE old RENAME TO cache_entries;`);
    expect((db.prepare('PRAGMA table_info(cache_entries)').all() as { name: string }[]).some((c) => c.name === 'latency_ms')).toBe(false);
    db.close();
    cache = await ResponseCache.open({ file, now });
    expect(await cache.lookup(input('q'))).toMatchObject({ kind: 'exact', text: 'Paris.', latencyMs: null });
    await cache.dispose();
  });

  it('lexical guard: a paraphrase that changes a number, a negation or a quoted string is a miss, not a hit', async () => {
    // 0.7 lets the bag-of-words test embedder match prompts that differ in one word, as USE-Lite does at 0.95
    const cache = await ResponseCache.open({ dir, embedder: new HashingEmbedder(), semanticThreshold: 0.7, now });
    await cache.store(input('Summarize the boiler manual in two sentences.'), { ...answer, text: 'Two sentences.' });
    await cache.store(input('What is the capital of France?'), answer);
    await cache.store(input('List the rooms with a radiator.'), { ...answer, text: 'Kitchen, hall.' });
    await cache.store(input('Translate "good morning" to French.'), { ...answer, text: 'Bonjour.' });
    await cache.store(input('Show the 3 largest invoices of 2024.'), { ...answer, text: 'A, B, C.' });

    expect(await cache.lookup(input('Summarize the boiler manual in three sentences.'))).toBeNull();
    expect(await cache.lookup(input('summarize the boiler manual in 2 sentences'))).toMatchObject({ kind: 'semantic', text: 'Two sentences.' });
    expect(await cache.lookup(input('what is the capital of France please?'))).toMatchObject({ kind: 'semantic', text: 'Paris.' });
    expect(await cache.lookup(input('Show the 5 largest invoices of 2024.'))).toBeNull();
    expect(await cache.lookup(input('Show the 3 largest invoices of 2023.'))).toBeNull();
    expect(await cache.lookup(input('show the 3 largest invoices of 2024'))).toMatchObject({ kind: 'semantic' });
    expect(await cache.lookup(input('List the rooms without a radiator.'))).toBeNull();
    expect(await cache.lookup(input("List the rooms that don't have a radiator."))).toBeNull();
    expect(await cache.lookup(input('list the rooms with a radiator'))).toMatchObject({ kind: 'semantic', text: 'Kitchen, hall.' });
    expect(await cache.lookup(input('Translate "good night" to French.'))).toBeNull();
    expect(await cache.lookup(input("translate 'good morning' to French"))).toMatchObject({ kind: 'semantic', text: 'Bonjour.' });
    expect(cache.stats()).toMatchObject({ semanticHits: 5, semanticGuarded: 6, misses: 6 });
    await cache.dispose();
  });

  it('lexical guard: serves the best paraphrase that passes, skipping a closer one that does not', async () => {
    const cache = await ResponseCache.open({ dir, embedder: new HashingEmbedder(), semanticThreshold: 0.5, now });
    await cache.store(input('give me two short tips for saving heating energy'), { ...answer, text: 'two' });
    await cache.store(input('give me some short tips for saving heating energy at home'), { ...answer, text: 'some' });
    const hit = await cache.lookup(input('give me a few short tips for saving heating energy')); // 0.84 to "two", 0.76 to "some"
    expect(hit).toMatchObject({ kind: 'semantic', text: 'some' });
    await cache.dispose();
  });

  it('entries written before semantic_text existed get the column and are exact-only', async () => {
    const file = path.join(dir, 'response-cache.sqlite');
    const first = await ResponseCache.open({ file, embedder: new HashingEmbedder(), semanticThreshold: 0.7, now });
    await first.store(input('What is the capital of France?'), answer);
    await first.dispose();
    const db = new Database(file);
    db.exec('UPDATE cache_entries SET semantic_text = NULL');
    db.close();
    const reopened = await ResponseCache.open({ file, embedder: new HashingEmbedder(), semanticThreshold: 0.7, now });
    expect(await reopened.lookup(input('what is the capital of France please?'))).toBeNull();
    expect(await reopened.lookup(input('What is the capital of France?'))).toMatchObject({ kind: 'exact' });
    await reopened.dispose();
  });

  it('clear() removes every entry but keeps the hit counters', async () => {
    const cache = await ResponseCache.open({ dir, now });
    await cache.store(input('a'), answer);
    await cache.store(input('b'), answer);
    expect(await cache.lookup(input('a'))).not.toBeNull();
    expect(cache.clear()).toBe(2);
    expect(await cache.lookup(input('a'))).toBeNull();
    expect(cache.stats()).toMatchObject({ entries: 0, exactHits: 1, misses: 1 });
    await cache.dispose();
  });

  it('rejects an out-of-range policy before opening the file', async () => {
    await expect(ResponseCache.open({ dir, semanticThreshold: 0 })).rejects.toThrow(RangeError);
    await expect(ResponseCache.open({ dir, ttlMs: -1 })).rejects.toThrow(RangeError);
    expect(fs.existsSync(path.join(dir, 'response-cache.sqlite'))).toBe(false);
  });

  it('reports an unopenable file as CacheStorageError', async () => {
    fs.mkdirSync(path.join(dir, 'taken.sqlite'));
    await expect(ResponseCache.open({ file: path.join(dir, 'taken.sqlite') })).rejects.toMatchObject({ name: 'CacheStorageError', details: { operation: 'open' } });
  });
});
