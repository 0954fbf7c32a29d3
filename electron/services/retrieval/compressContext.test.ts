import { describe, expect, it } from 'vitest';
import { compressContext, splitSentences } from './compressContext.js';
import { HashingEmbedder } from './testing/HashingEmbedder.js';

describe('compressContext', () => {
  it('splits sentences with exact offsets', () => {
    const t = 'First one. Second one!  Third?\nA line without stop\nLast. 3.14 stays';
    const s = splitSentences(t);
    expect(s.map((x) => x.text)).toEqual(['First one.', 'Second one!', 'Third?', 'A line without stop', 'Last.', '3.14 stays']);
    for (const x of s) expect(t.slice(x.start, x.end)).toBe(x.text);
  });

  it('keeps only sentences relevant to the question, with document offsets', async () => {
    const doc = 'Intro text about nothing. The turbine gearbox overheats when oil is low. Lunch was pasta. Replace gearbox oil every turbine service.';
    const offset = 1000; // passage starts at this document offset
    const documentText = ' '.repeat(offset) + doc;
    const out = await compressContext('why does the turbine gearbox overheat oil', [
      { chunkId: 'c1', docId: 'd1', text: doc, charStart: offset },
      { chunkId: 'c2', docId: 'd2', text: 'Bananas are yellow. Apples are red.', charStart: 0 },
    ], { embedder: new HashingEmbedder(512), relativeThreshold: 0.5 });
    expect(out).toHaveLength(1);
    const [p] = out;
    expect(p!.sentences.map((s) => s.index)).toEqual([1, 3]);
    expect(p!.text).toBe('The turbine gearbox overheats when oil is low. … Replace gearbox oil every turbine service.');
    for (const s of p!.sentences) expect(documentText.slice(s.charStart, s.charEnd)).toBe(s.text);
    expect(p!.totalSentences).toBe(4);
  });

  it('minPerPassage keeps the best sentence of every passage', async () => {
    const out = await compressContext('turbine', [
      { chunkId: 'a', docId: 'd', text: 'Turbine blades spin. Cats nap.', charStart: 0 },
      { chunkId: 'b', docId: 'd', text: 'Dogs bark loudly. Birds sing.', charStart: 40 },
    ], { embedder: new HashingEmbedder(256), minPerPassage: 1 });
    expect(out.map((p) => p.chunkId)).toEqual(['a', 'b']);
    expect(out[0]!.text).toBe('Turbine blades spin.');
    expect(out[1]!.sentences).toHaveLength(1);
  });
});
