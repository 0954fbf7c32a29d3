import path from 'node:path';
import { BrowserWindow, shell } from 'electron';

/** Security settings every window gets (Electron's checklist): isolated, sandboxed, no Node, no navigation. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  spellcheck: false,
} as const;

export function createMainWindow(options: { rendererIndex: string; preload: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Hearth',
    show: false,
    backgroundColor: '#151412',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: options.preload },
  });
  const appUrl = new URL(`file://${path.resolve(options.rendererIndex)}`).href;
  // Navigation away from the app and new windows are refused; http(s) links open in the user's browser.
  win.webContents.on('will-navigate', (event, url) => {
    if (url.split('#')[0] !== appUrl) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(options.rendererIndex);
  return win;
}
