import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatAskOutput } from '../../../shared/schemas/chat.js';
import { fixturePaths } from '../../../models/fixtures/fixturePaths.js';
import { createApp } from '../../handlers/createApp.js';
import { createDirectClient } from '../../handlers/createDirectClient.js';
import type { CliIo } from '../CliCommand.js';
import { askCommand } from './chatCommands.js';

let dir: string;
const savedEmbedder = process.env.HEARTH_EMBEDDER;

function io(argv: string[], json: boolean): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { argv, json, dataDir: dir, out: (t) => stdout.push(t), err: (t) => stderr.push(t), stdout, stderr };
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-ask-cli-'));
  process.env.HEARTH_EMBEDDER = `transformers:${fixturePaths.onnxEmbedderDir}`;
  const app = await createApp({ dataDir: dir, cpuOnly: true });
  try {
    const text = 'Error E1234 on the pump display means the valve is stuck.\n\nReplace the intake filter every six months.';
    const r = await createDirectClient(app)['documents.ingest']({ files: [{ name: 'pump.txt', bytesBase64: Buffer.from(text).toString('base64') }], collection: 'work' });
    expect(r.files[0]!.status).toBe('indexed');
  } finally {
    await app.dispose();
  }
}, 180_000);

afterAll(async () => {
  if (savedEmbedder === undefined) delete process.env.HEARTH_EMBEDDER;
  else process.env.HEARTH_EMBEDDER = savedEmbedder;
  await fs.rm(dir, { recursive: true, force: true });
});

describe('hearth ask', () => {
  it('refuses a missing question, a missing model and an unknown mode with INVALID_INPUT before loading anything', async () => {
    await expect(askCommand.run(io(['--model', fixturePaths.chatGguf], false))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(askCommand.run(io(['What?'], false))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(askCommand.run(io(['What?', '--model', 'm.gguf', '--mode', 'magic'], false))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(askCommand.run(io(['What?', '--model', 'm.gguf', '--k', '99'], false))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('--json prints the chat.ask output: a cited answer from the collection, saved in the data dir', async () => {
    const cli = io(['What does error E1234 mean?', '--model', fixturePaths.chatGguf, '--collection', 'work', '--mode', 'bm25', '--k', '2', '--max-chars', '32', '--seed', '1', '--context-size', '1024', '--json'], true);
    expect(await askCommand.run(cli)).toBe(0);
    const out = ChatAskOutput.parse(JSON.parse(cli.stdout.join('\n')));
    expect(out.answer.status).toBe('answered');
    expect(out.answer.citations[0]).toMatchObject({ index: 1, documentName: 'pump.txt', page: 1 });
    expect(out.answer.stats!.requestIds).toHaveLength(1);
    // another collection has nothing: the fixed reply, no model call
    const none = io(['What does error E1234 mean?', '--model', fixturePaths.chatGguf, '--collection', 'kitchen', '--json'], true);
    expect(await askCommand.run(none)).toBe(0);
    expect(ChatAskOutput.parse(JSON.parse(none.stdout.join('\n'))).answer).toMatchObject({ status: 'not-found', text: 'Not found in your documents.' });
  }, 180_000);
});
