import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session } from 'electron';
import { AppError } from '../../shared/errors.js';
import { CONTENT_SECURITY_POLICY } from '../bridge/BridgeServer.js';
import { createApp, type HearthApp } from '../handlers/index.js';
import { createMainWindow } from './createMainWindow.js';
import { decidePermission } from './decidePermission.js';
import { decideRendererRequest } from './decideRendererRequest.js';
import { isTrustedSender } from './isTrustedSender.js';
import { NavigationPolicy } from './NavigationPolicy.js';
import { SafeStorageSecretStore } from './SafeStorageSecretStore.js';
import { UserChosenFiles } from '../services/paths/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.join(here, '..', 'renderer', 'index.html');
const preload = path.join(here, 'preload.cjs');
const rendererUrl = new URL(`file://${path.resolve(rendererIndex)}`).href;
const navigation = new NavigationPolicy(rendererUrl);

let hearth: HearthApp | null = null;
/** Files the user picked in a native dialog this session (see validateUserPath's `chosen` option). */
const userChosenFiles = new UserChosenFiles();

// Every renderer is sandboxed, whatever its webPreferences say (checklist: sandbox).
app.enableSandbox();

async function start(): Promise<void> {
  await app.whenReady();
  const secretStore = SafeStorageSecretStore.createIfAvailable();
  if (secretStore === null) console.warn('[hearth] no OS keychain: API keys use the file-key fallback (see SecretStore.ts)');
  hearth = await createApp({ dataDir: app.getPath('userData'), chosenFiles: userChosenFiles, ...(secretStore ? { secretStore } : {}) });
  const services = hearth.services;

  session.defaultSession.setPermissionRequestHandler((wc, permission, callback, details) => callback(decidePermission(permission, details.requestingUrl ?? wc.getURL())));
  session.defaultSession.setPermissionCheckHandler((_wc, permission, requestingOrigin) => decidePermission(permission, requestingOrigin));
  session.defaultSession.setDevicePermissionHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  // Offline guard, renderer half: app-local URLs, and http(s) only to hosts the Node-side NetworkGuard allows.
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    const decision = decideRendererRequest(details.url, services.network);
    if (decision.cancel) console.warn(`[hearth] blocked renderer request: ${decision.error.message}`);
    callback({ cancel: decision.cancel });
  });

  ipcMain.handle('hearth:invoke', async (event, channel: unknown, input: unknown, requestId: unknown) => {
    if (!isTrustedSender(event.senderFrame, rendererUrl)) {
      return { ok: false, error: new AppError('FORBIDDEN_ORIGIN', 'Calls are only accepted from the Hearth window.').toSerialized() };
    }
    return hearth!.dispatcher.dispatch(String(channel), input, {
      ...(typeof requestId === 'string' && requestId.length > 0 ? { requestId: requestId.slice(0, 128) } : {}),
      transport: 'ipc',
    });
  });
  // Native open dialog: the chosen files are remembered so handlers can insist on them.
  ipcMain.handle('hearth:choose-files', async (event, extensions: unknown) => {
    if (!isTrustedSender(event.senderFrame, rendererUrl)) return [];
    const exts = Array.isArray(extensions) ? extensions.filter((e): e is string => typeof e === 'string' && /^[a-z0-9]{1,10}$/i.test(e)).slice(0, 20) : [];
    const owner = BrowserWindow.fromWebContents(event.sender);
    const options: Electron.OpenDialogOptions = { properties: ['openFile', 'multiSelections'], ...(exts.length > 0 ? { filters: [{ name: 'Files', extensions: exts }] } : {}) };
    const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
    return result.canceled ? [] : userChosenFiles.remember(result.filePaths);
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
// SIGINT/SIGTERM (terminal, session logout, service manager) take the same graceful path as closing the window.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!navigation.allowNavigation(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

start().catch((err: unknown) => {
  console.error('[hearth] failed to start', err);
  app.exit(1);
});
