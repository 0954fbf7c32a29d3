import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetInvalidError } from './DatasetInvalidError.js';
import { DatasetStore } from './DatasetStore.js';
import { parseDatasetJsonl, serializeDatasetJsonl } from './parseDatasetJsonl.js';

const GOOD = [
  '{"id":"a","input":"What is 2+2?","expected":"4","tags":["math"]}',
  '{"id":"b","input":{"question":"Capital of France?"},"expected":"Paris"}',
  '',
  '{"input":"no id","expected":{"x":1}}',
].join('\n');

describe('parseDatasetJsonl', () => {
  it('parses cases, defaults tags and ids', () => {
    const { dataset, errors } = parseDatasetJsonl(GOOD, { name: 'd' });
    expect(errors).toEqual([]);
    expect(dataset.cases.map((c) => c.id)).toEqual(['a', 'b', 'line-4']);
    expect(dataset.cases[1]!.tags).toEqual([]);
    expect(dataset.cases[1]!.input).toEqual({ question: 'Capital of France?' });
  });

  it('reports malformed lines with their line numbers and keeps the rest', () => {
    const text = ['{"id":"a","input":"x","expected":"y"}', '{"id":"b", input}', '{"id":"c","input":5}', '{"id":"a","input":"dup"}', '{"id":"d","input":"ok"}'].join('\n');
    const { dataset, errors } = parseDatasetJsonl(text, { name: 'd' });
    expect(dataset.cases.map((c) => c.id)).toEqual(['a', 'd']);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(errors[0]!.message).toMatch(/invalid JSON/);
    expect(errors[1]!.message).toMatch(/^input:/);
    expect(errors[2]!.message).toMatch(/duplicate id "a"/);
  });

  it('extraction datasets need an expected JSON object per case', () => {
    const text = ['{"id":"a","input":"Invoice 12","expected":{"number":12}}', '{"id":"b","input":"x","expected":"str"}'].join('\n');
    const { dataset, errors } = parseDatasetJsonl(text, { name: 'inv', kind: 'extraction' });
    expect(dataset.cases).toHaveLength(1);
    expect(errors).toEqual([{ line: 2, message: 'extraction cases need an expected JSON object or array' }]);
  });

  it('throws DatasetInvalidError only when nothing usable remains', () => {
    let err: unknown;
    try {
      parseDatasetJsonl('not json\n{"id":1}', { name: 'bad' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatasetInvalidError);
    const e = err as DatasetInvalidError;
    expect(e.code).toBe('DATASET_INVALID');
    expect(e.errors.map((x) => x.line)).toEqual([1, 2]);
    expect(e.message).toMatch(/line 1/);
    expect(() => parseDatasetJsonl('\n\n', { name: 'empty' })).toThrow(DatasetInvalidError);
  });

  it('export round-trips', () => {
    const { dataset } = parseDatasetJsonl(GOOD, { name: 'd' });
    expect(parseDatasetJsonl(serializeDatasetJsonl(dataset.cases), { name: 'd' }).dataset.cases).toEqual(dataset.cases);
  });
});

describe('DatasetStore', () => {
  let dir: string;
  let store: DatasetStore;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hearth-ds-'));
    store = await DatasetStore.open(dir);
  });
  afterEach(async () => {
    store.dispose();
    store.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('versions by content hash: same content → same version, changed content → next version', async () => {
    const { version: v1, errors } = await store.importJsonl('qa', GOOD);
    expect(errors).toEqual([]);
    expect(v1.version).toBe(1);
    expect(v1.hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await store.importJsonl('qa', GOOD)).version).toEqual(v1);
    const v2 = (await store.importJsonl('qa', GOOD + '\n{"id":"z","input":"new"}')).version;
    expect(v2.version).toBe(2);
    expect(v2.caseCount).toBe(4);
    expect((await store.load('qa', 1)).cases).toHaveLength(3);
    expect((await store.load('qa')).version.version).toBe(2);
    expect(await store.list()).toEqual(['qa']);
    expect(await store.exportJsonl('qa', 1)).toBe(serializeDatasetJsonl((await store.load('qa', 1)).cases));
  });

  it('detects on-disk tampering and missing versions', async () => {
    await store.importJsonl('qa', GOOD);
    await writeFile(path.join(dir, 'qa', 'v1.jsonl'), '{"id":"evil","input":"x"}\n');
    await expect(store.load('qa')).rejects.toThrow(/hash mismatch/);
    await expect(store.load('qa', 9)).rejects.toBeInstanceOf(DatasetInvalidError);
  });

  it('rejects path-like names', async () => {
    await expect(store.save('../escape', [])).rejects.toBeInstanceOf(DatasetInvalidError);
  });
});
