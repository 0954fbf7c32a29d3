import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ChannelName, ChannelOutput } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { createApp, type HearthApp } from '../../handlers/createApp.js';
import type { CliCommand, CliIo } from '../CliCommand.js';
import { formatTable } from '../formatTable.js';

/**
 * Runs one contract channel on a fresh app over the data folder, through the dispatcher (the same input
 * validation and error mapping as the UI), then disposes the app. Progress events go to `onEvent`.
 */
async function call<C extends ChannelName>(
  io: CliIo,
  channel: C,
  input: unknown,
  onEvent?: (event: string, payload: unknown) => void,
): Promise<ChannelOutput<C>> {
  const app: HearthApp = await createApp({ dataDir: io.dataDir, cpuOnly: true });
  const off = onEvent ? app.onEvent((e, p) => onEvent(e, p)) : () => undefined;
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const requestId = `cli-${process.pid}-${Date.now()}`;
    const pending = app.dispatcher.dispatch(channel, input, { requestId, transport: 'direct' });
    controller.signal.addEventListener('abort', () => app.dispatcher.cancel(requestId), { once: true });
    const envelope = await pending;
    if (!envelope.ok) throw AppError.fromSerialized(envelope.error);
    return envelope.data as ChannelOutput<C>;
  } finally {
    process.off('SIGINT', onSigint);
    off();
    await app.dispose();
  }
}

const ingestCommand: CliCommand = {
  path: ['ingest'],
  usage: 'ingest <files...> [--collection C] [--tags a,b] [--json]',
  summary: 'Index documents (PDF, DOCX, Markdown, HTML, CSV, text) into a collection.',
  async run(io) {
    const { values, positionals } = parseArgs({
      args: io.argv,
      allowPositionals: true,
      options: { collection: { type: 'string' }, tags: { type: 'string' }, json: { type: 'boolean' } },
    });
    if (positionals.length === 0) throw new AppError('INVALID_INPUT', 'Give at least one file: hearth ingest <files...>');
    const tags = (values.tags ?? '').split(',').map((t) => t.trim()).filter((t) => t.length > 0);
    const result = await call(
      io,
      'documents.ingest',
      { paths: positionals.map((p) => path.resolve(p)), tags, ...(values.collection === undefined ? {} : { collection: values.collection }) },
      io.json
        ? undefined
        : (event, payload) => {
            if (event !== 'documents.progress') return;
            const p = payload as { file: string; phase: string; filesDone: number; filesTotal: number; chunksDone: number; chunksTotal: number };
            if (p.phase === 'done' || p.phase === 'error' || p.phase === 'parse') {
              io.err(`[${p.filesDone}/${p.filesTotal}] ${p.phase.padEnd(5)} ${p.file}  (${p.chunksDone}/${p.chunksTotal} chunks)`);
            }
          },
    );
    const failed = result.files.filter((f) => f.status === 'error').length;
    if (io.json) io.out(JSON.stringify(result));
    else {
      io.out(
        formatTable(
          ['file', 'status', 'pages', 'chunks', 'error'],
          result.files.map((f) => [f.name, f.status, String(f.pages), String(f.chunks), f.error ? `${f.error.code}: ${f.error.message}` : '']),
        ),
      );
      io.out(`\n${result.chunksIndexed} chunks indexed in ${Math.round(result.elapsedMs)} ms; ${failed} file(s) failed.`);
    }
    return failed > 0 ? 1 : 0;
  },
};

const listCommand: CliCommand = {
  path: ['documents', 'list'],
  usage: 'documents list [--collection C] [--json]',
  summary: 'List indexed (and failed) documents.',
  async run(io) {
    const { values } = parseArgs({ args: io.argv, options: { collection: { type: 'string' }, json: { type: 'boolean' } } });
    const rows = await call(io, 'documents.list', values.collection === undefined ? {} : { collection: values.collection });
    if (io.json) io.out(JSON.stringify(rows));
    else if (rows.length === 0) io.out('No documents yet. Add some with: hearth ingest <files...>');
    else {
      io.out(
        formatTable(
          ['id', 'name', 'collection', 'status', 'pages', 'chunks'],
          rows.map((d) => [d.docId, d.name, d.collection, d.error ? `${d.status} (${d.error.code})` : d.status, String(d.pages), String(d.chunks)]),
        ),
      );
    }
    return 0;
  },
};

const deleteCommand: CliCommand = {
  path: ['documents', 'delete'],
  usage: 'documents delete <docId...> [--json]',
  summary: 'Remove documents and their chunks from the index.',
  async run(io) {
    const { positionals } = parseArgs({ args: io.argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
    if (positionals.length === 0) throw new AppError('INVALID_INPUT', 'Give document ids (see `hearth documents list`).');
    const res = await call(io, 'documents.delete', { docIds: positionals });
    if (io.json) io.out(JSON.stringify(res));
    else {
      io.out(`Deleted ${res.deleted.length} document(s), ${res.chunksRemoved} chunk(s).`);
      if (res.missing.length > 0) io.err(`Not found: ${res.missing.join(', ')}`);
    }
    return res.missing.length > 0 ? 1 : 0;
  },
};

const statsCommand: CliCommand = {
  path: ['documents', 'stats'],
  usage: 'documents stats [--json]',
  summary: 'Document and chunk counts, index size on disk, embedder.',
  async run(io) {
    parseArgs({ args: io.argv, options: { json: { type: 'boolean' } } });
    const s = await call(io, 'documents.stats', {});
    if (io.json) io.out(JSON.stringify(s));
    else {
      io.out(`documents    ${s.documents}\nchunks       ${s.chunks}\ncollections  ${s.collections}`);
      io.out(`index size   ${s.indexBytes} bytes\nembedder     ${s.embedder.id} (${s.embedder.dimensions}-d)`);
    }
    return 0;
  },
};

/** Headless commands of the Documents feature. */
export const documentsCliCommands: CliCommand[] = [ingestCommand, listCommand, deleteCommand, statsCommand];
