import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import { AppError } from '../../shared/errors.js';
import { CONTENT_SECURITY_POLICY } from '../bridge/BridgeServer.js';
import { createApp, type HearthApp } from '../handlers/index.js';
import { createMainWindow } from './createMainWindow.js';
import { SafeStorageSecretStore } from './SafeStorageSecretStore.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.join(here, '..', 'renderer', 'index.html');
const preload = path.join(here, 'preload.cjs');
const rendererUrl = new URL(`file://${path.resolve(rendererIndex)}`).href;

let hearth: HearthApp | null = null;

/** Only our own top-level renderer page may call the contract (IPC sender-frame validation). */
function trustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && frame.url.split('#')[0] === rendererUrl;
}

async function start(): Promise<void> {
  await app.whenReady();
  const secretStore = SafeStorageSecretStore.createIfAvailable();
  if (secretStore === null) console.warn('[hearth] no OS keychain: API keys use the file-key fallback (see SecretStore.ts)');
  hearth = await createApp({ dataDir: app.getPath('userData'), ...(secretStore ? { secretStore } : {}) });

  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  // No remote content: the renderer loads only its own files. (Outbound calls of the main process itself go
  // through the services' NetworkGuard, which enforces offline mode and the allowed-host list.)
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const allowed = details.url.startsWith('file://') || details.url.startsWith('devtools://') || details.url.startsWith('data:');
    callback({ cancel: !allowed });
  });

  ipcMain.handle('hearth:invoke', async (event, channel: unknown, input: unknown, requestId: unknown) => {
    if (!trustedSender(event)) {
      return { ok: false, error: new AppError('FORBIDDEN_ORIGIN', 'Calls are only accepted from the Hearth window.').toSerialized() };
    }
    return hearth!.dispatcher.dispatch(String(channel), input, {
      ...(typeof requestId === 'string' && requestId.length > 0 ? { requestId: requestId.slice(0, 128) } : {}),
      transport: 'ipc',
    });
  });

  const win = createMainWindow({ rendererIndex, preload });
  hearth.onEvent((name, payload) => {
    if (!win.isDestroyed()) win.webContents.send('hearth:event', name, payload);
  });
}

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || hearth === null) return;
  event.preventDefault();
  quitting = true;
  // Graceful shutdown: flush the ledger, close the index and unload the model before exiting.
  void hearth.dispose().finally(() => app.quit());
});
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

start().catch((err: unknown) => {
  console.error('[hearth] failed to start', err);
  app.exit(1);
});
