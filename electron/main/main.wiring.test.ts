/**
 * Loads the real main.ts against a recording fake of the `electron` module (no Electron binary needed) and
 * drives the handlers it registers: this proves the security wiring, not just the pure policies.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;
const rec = vi.hoisted(() => ({
  userData: '',
  sandboxEnabled: false,
  appListeners: new Map<string, Listener[]>(),
  ipcHandlers: new Map<string, Listener>(),
  permissionRequest: undefined as Listener | undefined,
  permissionCheck: undefined as Listener | undefined,
  devicePermission: undefined as Listener | undefined,
  beforeRequest: undefined as Listener | undefined,
  headersReceived: undefined as Listener | undefined,
  windows: [] as { options: Record<string, unknown>; wcListeners: Map<string, Listener>; openHandler?: Listener; loaded?: string }[],
  openedExternally: [] as string[],
  quitCalls: 0,
}));

vi.mock('electron', () => {
  class FakeBrowserWindow {
    readonly webContents: Record<string, unknown>;
    constructor(options: Record<string, unknown>) {
      const entry = { options, wcListeners: new Map<string, Listener>() } as (typeof rec.windows)[number];
      rec.windows.push(entry);
      this.webContents = {
        on: (name: string, l: Listener) => entry.wcListeners.set(name, l),
        setWindowOpenHandler: (l: Listener) => (entry.openHandler = l),
        send: () => undefined,
      };
      this.loadFile = async (f: string) => void (entry.loaded = f);
    }
    loadFile: (f: string) => Promise<void>;
    once(): void {}
    isDestroyed(): boolean {
      return false;
    }
    show(): void {}
    static fromWebContents(): null {
      return null;
    }
  }
  return {
    app: {
      enableSandbox: () => void (rec.sandboxEnabled = true),
      whenReady: async () => undefined,
      getPath: () => rec.userData,
      on: (name: string, l: Listener) => rec.appListeners.set(name, [...(rec.appListeners.get(name) ?? []), l]),
      quit: () => void rec.quitCalls++,
      exit: () => undefined,
    },
    BrowserWindow: FakeBrowserWindow,
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
    ipcMain: { handle: (name: string, l: Listener) => rec.ipcHandlers.set(name, l) },
    safeStorage: { isEncryptionAvailable: () => false, getSelectedStorageBackend: () => 'basic_text' },
    shell: { openExternal: async (url: string) => void rec.openedExternally.push(url) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (l: Listener) => (rec.permissionRequest = l),
        setPermissionCheckHandler: (l: Listener) => (rec.permissionCheck = l),
        setDevicePermissionHandler: (l: Listener) => (rec.devicePermission = l),
        webRequest: {
          onBeforeRequest: (l: Listener) => (rec.beforeRequest = l),
          onHeadersReceived: (l: Listener) => (rec.headersReceived = l),
        },
      },
    },
  };
});

let rendererUrl: string;
beforeAll(async () => {
  rec.userData = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-main-'));
  await import('./main.js');
  await vi.waitFor(() => expect(rec.windows).toHaveLength(1), { timeout: 100_000, interval: 50 });
  rendererUrl = new URL(`file://${path.resolve(String(rec.windows[0]!.loaded))}`).href;
}, 120_000);
afterAll(async () => {
  // graceful quit path: before-quit disposes the app (ledger flushed, LanceDB closed) and then quits
  const event = { preventDefault: vi.fn() };
  for (const l of rec.appListeners.get('before-quit') ?? []) l(event);
  expect(event.preventDefault).toHaveBeenCalled();
  await vi.waitFor(() => expect(rec.quitCalls).toBeGreaterThan(0), { timeout: 60_000 });
  await fs.rm(rec.userData, { recursive: true, force: true });
}, 90_000);

const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent }, sender: {} });

describe('main.ts security wiring (fake electron module)', () => {
  it('sandboxes every renderer and opens the window with the secure preferences and a local file', async () => {
    const { SECURE_WEB_PREFERENCES } = await import('./secureWebPreferences.js');
    expect(rec.sandboxEnabled).toBe(true);
    const prefs = rec.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toEqual({ ...SECURE_WEB_PREFERENCES, preload: expect.stringMatching(/preload\.cjs$/) });
    expect(rec.windows[0]!.loaded).toMatch(/renderer[\\/]index\.html$/);
  });

  it('denies permission requests, checks and device access', () => {
    const callback = vi.fn();
    rec.permissionRequest!({ getURL: () => rendererUrl }, 'media', callback, { requestingUrl: rendererUrl });
    expect(callback).toHaveBeenCalledWith(false);
    expect(rec.permissionCheck!({}, 'clipboard-read', 'file://')).toBe(false);
    expect(rec.devicePermission!({})).toBe(false);
  });

  it('adds the strict CSP header to every response', async () => {
    const { CONTENT_SECURITY_POLICY } = await import('../bridge/BridgeServer.js');
    const callback = vi.fn();
    rec.headersReceived!({ responseHeaders: { 'X-A': ['1'] } }, callback);
    expect(callback).toHaveBeenCalledWith({ responseHeaders: { 'X-A': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });

  it('cancels renderer requests to hosts that are not allowed (offline by default) and passes local files', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const callback = vi.fn();
    rec.beforeRequest!({ url: 'https://evil.example.com/beacon' }, callback);
    expect(callback).toHaveBeenLastCalledWith({ cancel: true });
    expect(warn.mock.calls.at(-1)?.[0]).toMatch(/blocked renderer request: .*evil\.example\.com/);
    rec.beforeRequest!({ url: rendererUrl }, callback);
    expect(callback).toHaveBeenLastCalledWith({ cancel: false });
    warn.mockRestore();
  });

  it('refuses navigation away from the app and new windows; hands https links to the OS browser', () => {
    const wc = rec.windows[0]!;
    const nav = { preventDefault: vi.fn() };
    wc.wcListeners.get('will-navigate')!(nav, 'https://evil.example/');
    expect(nav.preventDefault).toHaveBeenCalledTimes(1);
    const ok = { preventDefault: vi.fn() };
    wc.wcListeners.get('will-navigate')!(ok, `${rendererUrl}#/chat`);
    expect(ok.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    wc.wcListeners.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    expect(wc.openHandler!({ url: 'https://docs.example.org/' })).toEqual({ action: 'deny' });
    expect(wc.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(rec.openedExternally).toEqual(['https://docs.example.org/']);
  });

  it('validates the IPC sender frame and the payload (zod) before any handler runs', async () => {
    const invoke = rec.ipcHandlers.get('hearth:invoke')!;
    const fromIframe = (await invoke(frame(rendererUrl, { url: rendererUrl }), 'app.info', {}, 'r1')) as { ok: boolean; error?: { code: string } };
    expect(fromIframe).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
    const fromElsewhere = (await invoke(frame('https://evil.example/'), 'app.info', {}, 'r2')) as { ok: boolean; error?: { code: string } };
    expect(fromElsewhere).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
    const bad = (await invoke(frame(rendererUrl), 'settings.update', { offline: 'yes' }, 'r3')) as { ok: boolean; error?: { code: string } };
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const good = (await invoke(frame(`${rendererUrl}#/settings`), 'app.info', {}, 'r4')) as { ok: boolean };
    expect(good.ok).toBe(true);
  });

  it('quits gracefully on SIGTERM (before-quit then disposes)', () => {
    const before = rec.quitCalls;
    process.emit('SIGTERM');
    expect(rec.quitCalls).toBe(before + 1);
  });
});
