import type { ChannelName, ChannelOutput, ChannelParsedInput } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import { compileJsonSchema, anyJsonGbnf, fragmentToGrammar, regexToGbnf } from '../services/constrain/index.js';
import { extract, type ExtractionTarget } from '../services/extract/index.js';
import { detectHardware, inspectGguf } from '../services/llm/index.js';
import { instrumentedProvider } from './instrumentedProvider.js';
import { validateUserPath } from '../services/paths/index.js';
import crypto from 'node:crypto';
import type { AppServices } from './AppServices.js';
import type { HandlerContext } from './HandlerContext.js';
import { createDocumentsHandlers } from './documentsHandlers.js';
import { createChatHandlers } from './chatHandlers.js';
import { createCostsHandlers } from './costsHandlers.js';
import { createEvalHandlers } from './evalHandlers.js';
import { createSettingsHandlers } from './settingsHandlers.js';

export type Handler<C extends ChannelName> = (input: ChannelParsedInput<C>, ctx: HandlerContext) => Promise<ChannelOutput<C>>;
/** Exactly one handler per contract channel: a missing or extra one is a type error. */
export type HandlerTable = { [C in ChannelName]: Handler<C> };
/** The handlers of a subset of channels (one feature's module). */
export type HandlersFor<K extends ChannelName> = { [C in K]: Handler<C> };

export interface HandlerEnvironment {
  version: string;
  /** Aborts the in-flight call with this request id; true if one was running. */
  cancel: (requestId: string) => boolean;
  /**
   * Files the user picked in a native dialog (Electron main). When set, `models.open`/`models.inspect` accept only
   * those; the bridge and the CLI have no dialog and rely on the path checks alone.
   */
  chosenFiles?: { has(realPath: string): boolean };
}

/** The one handler table: contract channel → service call. Both transports and the CLI's `serve` use it. */
export function createHandlers(services: AppServices, env: HandlerEnvironment): HandlerTable {
  /** Absolute, no traversal, an existing regular .gguf file (symlinks resolved), and chosen by the user if main says so. */
  const checkedModelPath = (p: string) =>
    validateUserPath(p, { extensions: ['.gguf'], ...(env.chosenFiles === undefined ? {} : { chosen: env.chosenFiles }) });
  return {
    ...createDocumentsHandlers(services, env),
    ...createChatHandlers(services, env),
    ...createCostsHandlers(services, env),
    ...createEvalHandlers(services, env),
    ...createSettingsHandlers(services, env),
    'app.info': async (_input, ctx) => ({
      name: 'Hearth',
      version: env.version,
      transport: ctx.transport,
      dataDir: services.dataDir,
      offline: services.settings.get().offline,
    }),
    'app.cancel': async ({ requestId }) => ({ cancelled: env.cancel(requestId) }),
    'system.hardware': async () => detectHardware(),
    'models.list': async () => services.models.list(),
    'models.inspect': async ({ path }) => inspectGguf(await checkedModelPath(path)),
    'models.open': async ({ path }) => services.models.open(await checkedModelPath(path)),
    'models.load': async (input) => services.models.load(input),
    'models.unload': async () => ({ unloaded: await services.models.unload() }),
    'models.status': async () => ({ loaded: services.models.status() }),
    'models.manifest': async () =>
      Promise.all(
        services.manifest.map(async (entry) => {
          const files = await services.downloader.status(entry);
          return { entry, installed: files.every((f) => f.installed), partialBytes: files.reduce((n, f) => n + f.partialBytes, 0) };
        }),
      ),
    'models.download': async ({ modelId }, ctx) => {
      const entry = services.manifest.find((e) => e.id === modelId);
      if (entry === undefined) throw new AppError('NOT_FOUND', `No model "${modelId}" in the manifest.`, { details: { modelId } });
      const paths = await services.downloader.download(entry, {
        signal: ctx.signal,
        onProgress: (p) => ctx.emit('download.progress', { requestId: ctx.requestId, ...p }),
      });
      return { paths };
    },
    'settings.get': async () => ({ settings: services.settings.get(), secretStorage: services.settings.secretStoreKind }),
    'settings.update': async (patch) => services.settings.update(patch),
    'settings.setProviderKey': async ({ providerId, key }) => {
      if (!services.settings.get().providers.some((p) => p.id === providerId)) {
        throw new AppError('NOT_FOUND', `No provider "${providerId}". Add it first.`, { details: { providerId } });
      }
      await services.settings.setProviderKey(providerId, key);
      return { hasKey: key !== null };
    },
    'extract.compile': async ({ target, allowPostValidation }) => {
      if (target.kind === 'json-schema') {
        const c = compileJsonSchema(target.schema, { allowPostValidation });
        return { grammarHash: c.grammarHash, schemaHash: c.schemaHash, grammarBytes: c.gbnf.length, postValidation: c.postValidation };
      }
      const gbnf = target.kind === 'regex' ? fragmentToGrammar(regexToGbnf(target.pattern, { context: 'raw' })) : anyJsonGbnf();
      const hash = crypto.createHash('sha256').update(gbnf).digest('hex');
      return { grammarHash: hash, schemaHash: hash, grammarBytes: gbnf.length, postValidation: [] };
    },
    'extract.run': async (input, ctx) => {
      const provider = instrumentedProvider(services.pipeline, services.models.requireProvider(), {
        userId: 'local',
        endpoint: 'extract',
        signal: ctx.signal,
      });
      const target: ExtractionTarget = input.target;
      const result = await extract({
        target,
        input: input.input,
        ...(input.instructions === undefined ? {} : { instructions: input.instructions }),
        provider,
        temperature: input.temperature,
        maxTokens: input.maxTokens,
        ...(input.seed === undefined ? {} : { seed: input.seed }),
        allowPostValidation: input.allowPostValidation,
        signal: ctx.signal,
        onPartial: (partial, text) => ctx.emit('extract.partial', { requestId: ctx.requestId, partial, text }),
      });
      return result;
    },
    'llm.generate': async (input, ctx) => {
      const provider = services.models.requireProvider();
      // the pipeline's extra fields (attempts, cost) are stripped by the contract's output schema
      return services.pipeline.generate(
          {
            ...(input.prompt === undefined ? {} : { prompt: input.prompt }),
            ...(input.messages === undefined ? {} : { messages: input.messages }),
            maxTokens: input.maxTokens,
            temperature: input.temperature,
            ...(input.topK === undefined ? {} : { topK: input.topK }),
            ...(input.topP === undefined ? {} : { topP: input.topP }),
            ...(input.seed === undefined ? {} : { seed: input.seed }),
            ...(input.grammar === undefined ? {} : { grammar: input.grammar }),
            ...(input.stop === undefined ? {} : { stop: input.stop }),
            signal: ctx.signal,
            onTextChunk: (text, completionTokens, tokensPerSecond) =>
              ctx.emit('llm.token', { requestId: ctx.requestId, text, completionTokens, tokensPerSecond }),
          },
          { userId: 'local', endpoint: 'chat', providers: [provider], signal: ctx.signal },
        );
    },
  };
}
