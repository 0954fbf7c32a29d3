import { describe, expect, it } from 'vitest';
import { runCli } from '../runCli.js';

/** Argument errors are typed and reported before any app or model is created (the model paths never exist here). */
async function run(argv: string[]): Promise<{ code: number; out: unknown }> {
  const out: string[] = [];
  const code = await runCli([...argv, '--json', '--data-dir', '/nonexistent-hearth-dir'], { out: (t) => out.push(t), err: () => {} });
  return { code, out: JSON.parse(out.join('\n')) as unknown };
}

describe('prompting CLI argument validation', () => {
  it('self-consistency needs exactly one answer constraint and a known format', async () => {
    expect(await run(['prompting', 'self-consistency', '--model', '/x.gguf', '--prompt', 'q'])).toMatchObject({ code: 1, out: { ok: false, error: { code: 'INVALID_INPUT' } } });
    expect(await run(['prompting', 'self-consistency', '--model', '/x.gguf', '--prompt', 'q', '--regex', 'a', '--schema-file', 's.json'])).toMatchObject({ code: 1 });
    expect(await run(['prompting', 'self-consistency', '--model', '/x.gguf', '--prompt', 'q', '--regex', 'a', '--format', 'xml'])).toMatchObject({ code: 1, out: { error: { message: expect.stringMatching(/--format/) } } });
  });
  it('judge rejects unknown criteria; react needs a question', async () => {
    expect(await run(['prompting', 'judge', '--model', '/x.gguf', '--question', 'q', '--answer', 'a', '--criteria', 'vibes'])).toMatchObject({ code: 1, out: { error: { code: 'INVALID_INPUT', message: expect.stringMatching(/vibes/) } } });
    expect(await run(['prompting', 'react', '--model', '/x.gguf'])).toMatchObject({ code: 1, out: { error: { code: 'INVALID_INPUT', details: { option: 'question' } } } });
  });
});
