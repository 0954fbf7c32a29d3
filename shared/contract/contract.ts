import { z } from 'zod';
import { channel } from './defineContract.js';
import { DownloadProgress, GgufSummary, Hardware, InstalledModel, LoadedModel, LoadModelOptions, ManifestEntry } from '../schemas/models.js';
import { Settings } from '../schemas/settings.js';
import { CompiledTarget, ExtractInput, ExtractionTargetInput, ExtractOutput, ExtractPartialEvent } from '../schemas/extraction.js';
import { GenerateInput, GenerateResult, TokenEvent } from '../schemas/generation.js';
import { documentsChannels, documentsEvents } from './documentsContract.js';
import { chatChannels, chatEvents } from './chatContract.js';
import { costsChannels, costsEvents } from './costsContract.js';
import { evalChannels, evalEvents } from './evalContract.js';
import { settingsChannels, settingsEvents } from './settingsContract.js';

const Empty = z.object({}).strict();

/**
 * Every request/response channel of the app. Main (over IPC), the loopback bridge (over HTTP) and the
 * renderer's typed client are all derived from this one table. Adding a channel here without a handler is a
 * type error in `electron/handlers/createHandlers.ts`.
 */
export const channels = {
  'app.info': channel(
    Empty,
    z.object({
      name: z.literal('Hearth'),
      version: z.string(),
      transport: z.enum(['ipc', 'bridge', 'direct']),
      dataDir: z.string(),
      offline: z.boolean(),
    }),
    'Version, transport and data folder of the running app.',
  ),
  'app.cancel': channel(
    z.object({ requestId: z.string().min(1) }).strict(),
    z.object({ cancelled: z.boolean() }),
    'Abort an in-flight call by the request id its caller gave it.',
  ),
  'system.hardware': channel(Empty, Hardware, 'CPU, RAM and GPU of this machine.'),
  'models.list': channel(Empty, z.array(InstalledModel), 'GGUF and ONNX models found in the models folder or opened by the user.'),
  'models.inspect': channel(z.object({ path: z.string().min(1) }).strict(), GgufSummary, 'Read a GGUF header: architecture, parameters, quantization, context length, chat template.'),
  'models.open': channel(z.object({ path: z.string().min(1) }).strict(), InstalledModel, 'Add any local GGUF file to the model list.'),
  'models.load': channel(LoadModelOptions.strict(), LoadedModel, 'Load a GGUF model for generation (replacing any loaded one).'),
  'models.unload': channel(Empty, z.object({ unloaded: z.boolean() }), 'Unload the current model and free its memory.'),
  'models.status': channel(Empty, z.object({ loaded: LoadedModel.nullable() }), 'The loaded model, if any.'),
  'models.manifest': channel(
    Empty,
    z.array(z.object({ entry: ManifestEntry, installed: z.boolean(), partialBytes: z.number().int().nonnegative() })),
    'Downloadable models from the manifest, with what is already installed or partly downloaded.',
  ),
  'models.download': channel(
    z.object({ modelId: z.string().min(1) }).strict(),
    z.object({ paths: z.array(z.string()) }),
    'Download a manifest model (resumable, sha256-verified); streams download.progress events.',
  ),
  'settings.get': channel(
    Empty,
    z.object({ settings: Settings, secretStorage: z.enum(['os-keychain', 'file-key']) }),
    'Current settings; provider keys are reported only as hasKey.',
  ),
  'settings.update': channel(Settings.partial().strict(), Settings, 'Change settings (validated as a whole, saved atomically).'),
  'settings.setProviderKey': channel(
    z.object({ providerId: z.string().min(1), key: z.string().min(1).max(4096).nullable() }).strict(),
    z.object({ hasKey: z.boolean() }),
    'Store (encrypted) or remove the API key of a provider. The key never comes back to the renderer.',
  ),
  'extract.compile': channel(
    z.object({ target: ExtractionTargetInput, allowPostValidation: z.boolean().default(false) }).strict(),
    CompiledTarget,
    'Compile a JSON Schema or regex to a grammar; errors name the keyword and JSON pointer.',
  ),
  'extract.run': channel(
    ExtractInput,
    ExtractOutput,
    'Grammar-constrained extraction with the loaded model, validated afterwards; streams extract.partial events.',
  ),
  'llm.generate': channel(GenerateInput, GenerateResult, 'Generate text with the loaded model; streams llm.token events keyed by request id.'),
  ...documentsChannels,
  ...chatChannels,
  ...costsChannels,
  ...evalChannels,
  ...settingsChannels,
} as const;

/** Push events, keyed by the request id of the call that caused them. */
export const events = {
  'llm.token': TokenEvent,
  'download.progress': DownloadProgress,
  'extract.partial': ExtractPartialEvent,
  progress: z.object({
    requestId: z.string(),
    phase: z.string(),
    done: z.number(),
    total: z.number().nullable(),
    message: z.string().optional(),
    etaMs: z.number().nullable().optional(),
  }),
  ...documentsEvents,
  ...chatEvents,
  ...costsEvents,
  ...evalEvents,
  ...settingsEvents,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>;
export type ChannelParsedInput<C extends ChannelName> = z.output<Channels[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Channels[C]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const channelNames = Object.keys(channels) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannelName(name: string): name is ChannelName {
  return Object.prototype.hasOwnProperty.call(channels, name);
}
export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}
