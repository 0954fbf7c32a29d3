import path from 'node:path';
import { BrowserWindow, shell } from 'electron';
import { NavigationPolicy } from './NavigationPolicy.js';
import { SECURE_WEB_PREFERENCES } from './secureWebPreferences.js';

export { SECURE_WEB_PREFERENCES };

/**
 * The one window: secure `webPreferences` (see secureWebPreferences.ts), local files only, navigation away
 * from the app and new windows refused by `NavigationPolicy`; an https link the user clicks is handed to
 * their browser (the only `shell.openExternal` call in the code base, on a URL the policy re-serialised).
 */
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
  const policy = new NavigationPolicy(new URL(`file://${path.resolve(options.rendererIndex)}`).href);
  win.webContents.on('will-navigate', (event, url) => {
    if (!policy.allowNavigation(url)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!policy.allowNavigation(url)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    const decision = policy.windowOpen(url);
    // eslint-disable-next-line no-restricted-syntax -- the URL was parsed and limited to https by NavigationPolicy.windowOpen
    if (decision.openExternally !== undefined) void shell.openExternal(decision.openExternally);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(options.rendererIndex);
  return win;
}
