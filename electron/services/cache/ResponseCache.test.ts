import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
    expect(cache.stats()).toEqual({ entries: 1, hits: 1, exactHits: 1, semanticHits: 0, misses: 2, hitRate: 1 / 3 });
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
    expect(await cache.lookup(input('Explain photosynthesis in plants.'))).toBeNull();
    expect(cache.stats()).toMatchObject({ semanticHits: 1, misses: 3 });
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

  it('reports an unopenable file as CacheStorageError', async () => {
    fs.mkdirSync(path.join(dir, 'taken.sqlite'));
    await expect(ResponseCache.open({ file: path.join(dir, 'taken.sqlite') })).rejects.toMatchObject({ name: 'CacheStorageError', details: { operation: 'open' } });
  });
});
