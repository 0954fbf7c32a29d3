import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './runCli.js';

const STORIES = path.resolve(__dirname, '../../../shared/data/models/stories260K.gguf');
let dir: string;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli([...argv, '--data-dir', dir], { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-cli-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('hearth CLI', () => {
  it('inspects a GGUF as JSON', async () => {
    const { code, out } = await cli('models', 'inspect', STORIES, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ architecture: 'llama', parameters: 292800, contextLength: 2048, quantization: 'F32', vocabularySize: 512 });
  });

  it('prints a typed error as JSON and exits 1 for a corrupt model', async () => {
    const bad = path.join(dir, 'bad.gguf');
    await fs.writeFile(bad, 'GGUF but not really');
    const { code, out } = await cli('models', 'inspect', bad, '--json');
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ ok: false, error: { code: 'MODEL_CORRUPT' } });
  });

  it('lists models in the data folder and extra folders', async () => {
    await fs.mkdir(path.join(dir, 'models'), { recursive: true });
    await fs.copyFile(STORIES, path.join(dir, 'models', 'stories.gguf'));
    const { code, out } = await cli('models', 'list', '--json');
    expect(code).toBe(0);
    const models = JSON.parse(out) as { path: string; source: string; summary: { architecture: string } }[];
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ source: 'models-folder', summary: { architecture: 'llama' } });
  });

  it('rejects unknown commands and bad arguments with a clear message', async () => {
    const unknown = await cli('frobnicate', '--json');
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.out).error.code).toBe('INVALID_INPUT');
    const missing = await cli('generate', '--prompt', 'x');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('--model');
    const help = await cli('help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('models inspect');
  });
});
