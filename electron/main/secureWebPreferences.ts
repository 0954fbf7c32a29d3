/**
 * The `webPreferences` every Hearth window gets (Electron's security checklist items 2–4, 8, 9, 11, 12):
 * an isolated, sandboxed renderer with no Node.js, same-origin policy on, no mixed content, no `<webview>`,
 * no experimental Blink features. Kept in its own file (no `electron` import) so vitest can pin every value
 * without the Electron binary; eslint's `no-restricted-syntax` forbids the unsafe literal values anywhere else.
 */
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
  navigateOnDragDrop: false,
  spellcheck: false,
} as const;
