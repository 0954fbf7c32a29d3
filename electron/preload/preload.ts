import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { channelNames, eventNames } from '../../shared/contract/contract.js';

/**
 * The renderer's only door into the app: `invoke` for contract channels and `on` for contract events.
 * Names outside the contract are refused here, before anything reaches main (which checks again).
 */
const CHANNELS = new Set<string>(channelNames);
const EVENTS = new Set<string>(eventNames);

contextBridge.exposeInMainWorld('hearth', {
  invoke(channel: string, input: unknown, requestId: string): Promise<unknown> {
    if (typeof channel !== 'string' || !CHANNELS.has(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL', message: `There is no channel named "${String(channel).slice(0, 100)}".`, retryable: false },
      });
    }
    return ipcRenderer.invoke('hearth:invoke', channel, input, String(requestId));
  },
  /** Opens the native file dialog in main; returns the real paths picked (main remembers them). */
  chooseFiles(extensions: readonly string[] = []): Promise<string[]> {
    return ipcRenderer.invoke('hearth:choose-files', Array.isArray(extensions) ? extensions.filter((e) => typeof e === 'string') : []);
  },
  on(listener: (event: string, payload: unknown) => void): () => void {
    const wrapped = (_e: IpcRendererEvent, event: string, payload: unknown) => {
      if (EVENTS.has(event)) listener(event, payload);
    };
    ipcRenderer.on('hearth:event', wrapped);
    return () => {
      ipcRenderer.removeListener('hearth:event', wrapped);
    };
  },
});
