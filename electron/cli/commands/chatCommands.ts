import { parseArgs } from 'node:util';
import { AppError } from '../../../shared/errors.js';
import { ChatAskInput, ChatRetrievalMode, ChatRetrievalSettings } from '../../../shared/schemas/chat.js';
import { createDirectClient } from '../../handlers/createDirectClient.js';
import { createApp } from '../../handlers/createApp.js';
import type { CliCommand } from '../CliCommand.js';

function formatMicros(micros: number): string {
  return `$${(micros / 1e6).toFixed(micros < 10_000 ? 6 : 4)}`;
}

/**
 * `ask`: one grounded question over the app's index in `--data-dir`, through the same `chat.ask` channel the UI
 * uses (so it lands in the ledger and the chat history). Streams the answer to stdout, then the citations.
 */
export const askCommand: CliCommand = {
  path: ['ask'],
  usage:
    'ask "<question>" --model <file.gguf> [--collection C] [--doc ID]... [--mode bm25|dense|hybrid-linear|hybrid-rrf] [--alpha A] [--rerank] [--k N] [--compression none|extractive|llm|extractive+llm] [--max-chars N] [--threads N] [--context-size N] [--conversation ID] [--json]',
  summary: 'Answer a question from your indexed documents with citations (or "Not found in your documents.").',
  async run(io) {
    const { values, positionals } = parseArgs({
      args: io.argv,
      allowPositionals: true,
      options: {
        model: { type: 'string' },
        collection: { type: 'string' },
        doc: { type: 'string', multiple: true },
        mode: { type: 'string', default: 'hybrid-rrf' },
        alpha: { type: 'string' },
        rerank: { type: 'boolean', default: false },
        k: { type: 'string' },
        compression: { type: 'string' },
        'max-chars': { type: 'string' },
        threads: { type: 'string', default: '2' },
        'context-size': { type: 'string', default: '4096' },
        conversation: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    const question = positionals.join(' ').trim();
    if (question === '') throw new AppError('INVALID_INPUT', 'Give the question, e.g. ask "What does error E1234 mean?" --model m.gguf');
    if (values.model === undefined) throw new AppError('INVALID_INPUT', 'Give the model with --model <file.gguf>.');
    const num = (name: string, v: string | undefined): number | undefined => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n)) throw new AppError('INVALID_INPUT', `--${name} must be a number, got "${v}".`);
      return n;
    };
    const mode = ChatRetrievalMode.safeParse(values.mode);
    if (!mode.success) throw new AppError('INVALID_INPUT', `--mode must be one of ${ChatRetrievalMode.options.join(', ')}.`);
    const settings = ChatRetrievalSettings.safeParse({
      mode: mode.data,
      rerank: values.rerank,
      ...(values.alpha === undefined ? {} : { alpha: num('alpha', values.alpha) }),
      ...(values.k === undefined ? {} : { k: num('k', values.k) }),
      ...(values.compression === undefined ? {} : { compression: values.compression }),
    });
    if (!settings.success) throw new AppError('INVALID_INPUT', `Invalid retrieval settings: ${settings.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const seed = num('seed', values.seed);
    const maxChars = num('max-chars', values['max-chars']);
    const input = ChatAskInput.safeParse({
      question,
      settings: settings.data,
      ...(values.conversation === undefined ? {} : { conversationId: values.conversation }),
      ...(values.collection === undefined && values.doc === undefined
        ? {}
        : { filter: { ...(values.collection === undefined ? {} : { collection: values.collection }), ...(values.doc === undefined ? {} : { documentIds: values.doc }) } }),
      ...(maxChars === undefined ? {} : { maxAnswerChars: maxChars }),
      ...(seed === undefined ? {} : { seed }),
    });
    if (!input.success) throw new AppError('INVALID_INPUT', input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));

    const app = await createApp({ dataDir: io.dataDir, cpuOnly: true });
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      const api = createDirectClient(app);
      await api['models.load']({ path: values.model, threads: num('threads', values.threads) ?? 2, contextSize: num('context-size', values['context-size']) ?? 4096 });
      const requestId = api.newRequestId();
      const off = io.json ? () => {} : api.on('chat.token', (e) => {
        if (e.requestId === requestId) process.stdout.write(e.text);
      });
      const out = await api['chat.ask'](input.data, { requestId, signal: controller.signal });
      off();
      if (io.json) {
        io.out(JSON.stringify(out));
        return 0;
      }
      const a = out.answer;
      if (a.status === 'not-found') io.out(a.text);
      else io.out('');
      for (const c of a.citations) io.out(`[${c.index}] ${c.documentName}, p. ${c.page} (chars ${c.charStart}–${c.charEnd}): ${c.quote.replace(/\s+/g, ' ').slice(0, 160)}`);
      const s = a.stats;
      if (s !== null) {
        const cloud = s.cloudEquivalent.map((c) => `${c.model} ${formatMicros(c.costMicros)}`).join(', ');
        io.err(
          `\n${s.completionTokens} tokens · ${s.tokensPerSecond.toFixed(1)} tok/s · ${Math.round(s.latencyMs)} ms · cost ${formatMicros(s.costMicros)}` +
            (cloud === '' ? '' : ` · cloud equivalent: ${cloud}`) + ` · ${a.status} · conversation ${out.conversationId}`,
        );
      }
      return 0;
    } finally {
      process.off('SIGINT', onSigint);
      await app.dispose();
    }
  },
};

/** Headless commands of the Chat feature. */
export const chatCliCommands: CliCommand[] = [askCommand];
