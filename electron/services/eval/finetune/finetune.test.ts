import { describe, expect, it } from 'vitest';
import type { DatasetCase } from '../datasets/DatasetCase.js';
import { DatasetInvalidError } from '../datasets/DatasetInvalidError.js';
import { exportFinetune } from './exportFinetune.js';
import { shouldFineTune } from './shouldFineTune.js';

const c = (id: string, input: DatasetCase['input'], expected?: DatasetCase['expected']): DatasetCase => ({ id, input, tags: [], ...(expected === undefined ? {} : { expected }) });

describe('exportFinetune', () => {
  const cases = [c('1', 'Invoice 12 from ACME', { vendor: 'ACME', number: 12 }), c('2', { text: 'hi' }, 'greeting')];
  it('alpaca: ### Instruction / ### Input / ### Response, canonical JSON outputs', () => {
    const lines = exportFinetune(cases, 'alpaca', { instruction: 'Extract the invoice.' }).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({
      instruction: 'Extract the invoice.',
      input: 'Invoice 12 from ACME',
      output: '{"number":12,"vendor":"ACME"}',
      text: '### Instruction:\nExtract the invoice.\n\n### Input:\nInvoice 12 from ACME\n\n### Response:\n{"number":12,"vendor":"ACME"}',
    });
    expect(lines[1].input).toBe('{"text":"hi"}');
    const noInstr = JSON.parse(exportFinetune([cases[1]!], 'alpaca').trim());
    expect(noInstr.text).toBe('### Instruction:\n{"text":"hi"}\n\n### Response:\ngreeting');
  });
  it('chat-jsonl: system/user/assistant messages', () => {
    const out = exportFinetune(cases, 'chat-jsonl', { system: 'You extract.', instruction: 'Extract.' });
    expect(out.endsWith('\n')).toBe(true);
    expect(JSON.parse(out.split('\n')[0]!)).toEqual({
      messages: [
        { role: 'system', content: 'You extract.' },
        { role: 'user', content: 'Extract.\n\nInvoice 12 from ACME' },
        { role: 'assistant', content: '{"number":12,"vendor":"ACME"}' },
      ],
    });
  });
  it('refuses cases without an expected output, naming them', () => {
    try {
      exportFinetune([cases[0]!, c('x', 'q')], 'chat-jsonl');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DatasetInvalidError);
      expect((e as DatasetInvalidError).errors).toEqual([{ line: 2, message: 'case "x" has no expected output to train on' }]);
    }
  });
});

describe('shouldFineTune', () => {
  const vendors = ['ACME', 'Globex', 'Initech', 'Umbrella', 'Hooli'];
  const extraction = Array.from({ length: 60 }, (_, i) => c(`e${i}`, `Invoice ${i} from ${vendors[i % 5]} total ${i * 3}`, { vendor: vendors[i % 5]!, number: i, total: i * 3 }));
  it('consistent extraction with enough data → fine-tune (format task)', () => {
    const r = shouldFineTune(extraction);
    expect(r.recommendation).toBe('fine-tune');
    expect(r.taskType).toBe('format');
    expect(r.stats.outputConsistency).toBe(1);
    expect(r.stats.inputCopyRate).toBe(1);
    expect(r.reasons.join(' ')).toMatch(/JSON outputs/);
  });
  it('too few examples → need more data', () => {
    const r = shouldFineTune(extraction.slice(0, 10));
    expect(r.recommendation).toBe('need-more-data');
    expect(r.reasons[1]).toMatch(/Only 10 labelled examples/);
  });
  it('answers not grounded in the input → knowledge task → retrieval', () => {
    const qa = Array.from({ length: 60 }, (_, i) => c(`q${i}`, `Who founded company number ${i}?`, `It was founded by person ${String.fromCharCode(65 + (i % 26))}${i} in the late nineties`));
    const r = shouldFineTune(qa);
    expect(r.taskType).toBe('knowledge');
    expect(r.recommendation).toBe('use-retrieval');
  });
  it('inconsistent output shapes → prompt first', () => {
    const mixed = extraction.map((x, i) => (i % 2 ? x : { ...x, expected: { vendor: 'ACME', extra: { nested: i } } }));
    const r = shouldFineTune(mixed);
    expect(r.stats.outputConsistency).toBeCloseTo(0.5, 12);
    expect(r.recommendation).toBe('prompt-first');
  });
});
