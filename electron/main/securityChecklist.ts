/** A test that proves a checklist item: the file (repo-relative) and the exact test title in it. */
export interface TestRef {
  file: string;
  test: string;
}

/** A lint rule that enforces an item, with a snippet it must reject when linted as `file`. */
export interface LintRef {
  rule: string;
  file: string;
  sample: string;
}

export interface ChecklistItem {
  /** Electron's checklist number (1–20, https://www.electronjs.org/docs/latest/tutorial/security), or 'hearth-N' for ours. */
  id: string;
  title: string;
  /** `enforced`: tests and/or lint below fail if it regresses. `accepted-risk`/`gap`: explained in `note`. */
  status: 'enforced' | 'accepted-risk' | 'gap';
  tests: TestRef[];
  lint: LintRef[];
  note: string;
}

const wiring = 'electron/main/main.wiring.test.ts';
const M = 'electron/main/x.ts';
const S = 'electron/services/example/x.ts';
const R = 'renderer/src/x.ts';

/**
 * Electron's security checklist plus Hearth's own items, each mapped to what enforces it. Walked by
 * `securityChecklist.test.ts` (every referenced test must exist, every lint sample must be rejected) and
 * mirrored by SECURITY.md (the test checks they agree).
 */
export const SECURITY_CHECKLIST: readonly ChecklistItem[] = [
  {
    id: '1',
    title: 'Only load secure content',
    status: 'enforced',
    tests: [
      { file: 'electron/main/secureWebPreferences.test.ts', test: 'is what createMainWindow passes, with nothing overriding it but the preload path' },
      { file: 'electron/main/decideRendererRequest.test.ts', test: 'lets through only hosts the NetworkGuard allows (enabled providers, approved download hosts)' },
    ],
    lint: [{ rule: 'no-restricted-syntax', file: M, sample: "win.loadURL('http://example.com')" }],
    note: 'Windows load local files only; renderer http(s) requests pass only to hosts the NetworkGuard allows.',
  },
  {
    id: '2',
    title: 'Do not enable Node.js integration for remote content',
    status: 'enforced',
    tests: [{ file: 'electron/main/secureWebPreferences.test.ts', test: 'isolates, sandboxes and strips Node from every renderer' }],
    lint: [
      { rule: 'no-restricted-syntax', file: M, sample: 'const p = { nodeIntegration: true };' },
      { rule: 'no-restricted-syntax', file: M, sample: 'const p = { nodeIntegrationInWorker: true };' },
    ],
    note: '',
  },
  {
    id: '3',
    title: 'Enable context isolation',
    status: 'enforced',
    tests: [{ file: 'electron/main/secureWebPreferences.test.ts', test: 'isolates, sandboxes and strips Node from every renderer' }],
    lint: [{ rule: 'no-restricted-syntax', file: M, sample: 'const p = { contextIsolation: false };' }],
    note: '',
  },
  {
    id: '4',
    title: 'Enable process sandboxing',
    status: 'enforced',
    tests: [{ file: wiring, test: 'sandboxes every renderer and opens the window with the secure preferences and a local file' }],
    lint: [{ rule: 'no-restricted-syntax', file: M, sample: 'const p = { sandbox: false };' }],
    note: 'app.enableSandbox() plus sandbox: true per window.',
  },
  {
    id: '5',
    title: 'Handle session permission requests from remote content',
    status: 'enforced',
    tests: [
      { file: 'electron/main/decidePermission.test.ts', test: 'denies every permission Electron can ask about, from any origin' },
      { file: wiring, test: 'denies permission requests, checks and device access' },
    ],
    lint: [],
    note: 'Deny by default: request, check and device handlers.',
  },
  {
    id: '6',
    title: 'Do not disable webSecurity',
    status: 'enforced',
    tests: [{ file: 'electron/main/secureWebPreferences.test.ts', test: 'isolates, sandboxes and strips Node from every renderer' }],
    lint: [{ rule: 'no-restricted-syntax', file: M, sample: 'const p = { webSecurity: false };' }],
    note: '',
  },
  {
    id: '7',
    title: 'Define a Content Security Policy',
    status: 'enforced',
    tests: [
      { file: 'electron/main/secureWebPreferences.test.ts', test: 'never allows eval, inline script, remote hosts or wildcards' },
      { file: wiring, test: 'adds the strict CSP header to every response' },
      { file: 'electron/bridge/BridgeServer.test.ts', test: 'serves the renderer with a CSP, and nothing outside its folder' },
    ],
    lint: [],
    note: 'One CSP string (BridgeServer.ts) for Electron and the bridge.',
  },
  {
    id: '8',
    title: 'Do not enable allowRunningInsecureContent',
    status: 'enforced',
    tests: [{ file: 'electron/main/secureWebPreferences.test.ts', test: 'isolates, sandboxes and strips Node from every renderer' }],
    lint: [{ rule: 'no-restricted-syntax', file: M, sample: 'const p = { allowRunningInsecureContent: true };' }],
    note: '',
  },
  {
    id: '9',
    title: 'Do not enable experimental features',
    status: 'enforced',
    tests: [{ file: 'electron/main/secureWebPreferences.test.ts', test: 'isolates, sandboxes and strips Node from every renderer' }],
    lint: [{ rule: 'no-restricted-syntax', file: M, sample: 'const p = { experimentalFeatures: true };' }],
    note: '',
  },
  {
    id: '10',
    title: 'Do not use enableBlinkFeatures',
    status: 'enforced',
    tests: [{ file: 'electron/main/secureWebPreferences.test.ts', test: 'isolates, sandboxes and strips Node from every renderer' }],
    lint: [{ rule: 'no-restricted-syntax', file: M, sample: "const p = { enableBlinkFeatures: 'X' };" }],
    note: '',
  },
  {
    id: '11',
    title: 'Do not use allowpopups for WebViews',
    status: 'enforced',
    tests: [{ file: wiring, test: 'refuses navigation away from the app and new windows; hands https links to the OS browser' }],
    lint: [
      { rule: 'no-restricted-syntax', file: M, sample: 'const p = { allowpopups: true };' },
      { rule: 'no-restricted-syntax', file: M, sample: 'const p = { webviewTag: true };' },
    ],
    note: 'No <webview> at all: webviewTag false and will-attach-webview prevented.',
  },
  {
    id: '12',
    title: 'Verify WebView options before creation',
    status: 'enforced',
    tests: [{ file: wiring, test: 'refuses navigation away from the app and new windows; hands https links to the OS browser' }],
    lint: [],
    note: 'Every will-attach-webview is prevented.',
  },
  {
    id: '13',
    title: 'Disable or limit navigation',
    status: 'enforced',
    tests: [
      { file: 'electron/main/NavigationPolicy.test.ts', test: 'allows only the app page itself (any #route)' },
      { file: wiring, test: 'refuses navigation away from the app and new windows; hands https links to the OS browser' },
    ],
    lint: [],
    note: '',
  },
  {
    id: '14',
    title: 'Disable or limit creation of new windows',
    status: 'enforced',
    tests: [{ file: 'electron/main/NavigationPolicy.test.ts', test: 'denies every new window and offers only plain https links to the OS browser' }],
    lint: [],
    note: '',
  },
  {
    id: '15',
    title: 'Do not use shell.openExternal with untrusted content',
    status: 'enforced',
    tests: [{ file: 'electron/main/NavigationPolicy.test.ts', test: 'denies every new window and offers only plain https links to the OS browser' }],
    lint: [{ rule: 'no-restricted-syntax', file: M, sample: 'shell.openExternal(url);' }],
    note: 'Single reviewed call site in createMainWindow.ts on a URL NavigationPolicy re-serialised (https only).',
  },
  {
    id: '16',
    title: 'Use a current version of Electron',
    status: 'enforced',
    tests: [{ file: 'electron/main/securityChecklist.test.ts', test: 'pins a supported Electron major' }],
    lint: [],
    note: 'Electron supports the latest three majors; bump when the test fails.',
  },
  {
    id: '17',
    title: 'Validate the sender of all IPC messages',
    status: 'enforced',
    tests: [
      { file: 'electron/main/isTrustedSender.test.ts', test: 'refuses sub-frames, destroyed frames, other pages and look-alikes' },
      { file: wiring, test: 'validates the IPC sender frame and the payload (zod) before any handler runs' },
    ],
    lint: [],
    note: '',
  },
  {
    id: '18',
    title: 'Avoid usage of the file:// protocol and prefer usage of custom protocols',
    status: 'accepted-risk',
    tests: [{ file: 'electron/main/isTrustedSender.test.ts', test: 'refuses sub-frames, destroyed frames, other pages and look-alikes' }],
    lint: [],
    note: 'The renderer is loaded from file://. Mitigations: navigation pinned to the exact index.html, sender check on the exact path, CSP self-only. Moving to protocol.handle("app") is tracked as follow-up.',
  },
  {
    id: '19',
    title: 'Check which fuses you can change',
    status: 'enforced',
    tests: [{ file: 'electron/main/electronBuilderConfig.test.ts', test: 'flips the Electron fuses: no run-as-node, NODE_OPTIONS or --inspect; asar only, integrity-checked' }],
    lint: [],
    note: 'electron-builder.yml electronFuses: runAsNode, enableNodeOptionsEnvironmentVariable, enableNodeCliInspectArguments off; onlyLoadAppFromAsar, embedded asar integrity and cookie encryption on.',
  },
  {
    id: '20',
    title: 'Do not expose Electron APIs to untrusted web content',
    status: 'enforced',
    tests: [
      { file: 'electron/preload/preload.test.ts', test: 'exposes one object with three functions and no Electron/Node objects' },
      { file: 'electron/preload/preload.test.ts', test: 'forwards only contract channels; others are refused before reaching main' },
    ],
    lint: [{ rule: 'no-restricted-imports', file: R, sample: "import { ipcRenderer } from 'electron';" }],
    note: '',
  },
  {
    id: 'hearth-1',
    title: 'Zod validation of every payload in both directions',
    status: 'enforced',
    tests: [
      { file: 'electron/handlers/Dispatcher.test.ts', test: 'rejects a malformed payload with INVALID_INPUT and the failing path' },
      { file: 'electron/handlers/Dispatcher.test.ts', test: 'refuses a handler result that breaks the output schema' },
      { file: 'electron/handlers/Dispatcher.fuzz.test.ts', test: 'answers every call with a well-formed envelope, never crashes, and writes nothing for rejected input' },
    ],
    lint: [],
    note: 'Inputs (strict) and outputs are parsed by the Dispatcher for IPC and the bridge alike.',
  },
  {
    id: 'hearth-2',
    title: 'No eval, new Function or executeJavaScript in product code',
    status: 'enforced',
    tests: [],
    lint: [
      { rule: 'no-eval', file: R, sample: "eval('1');" },
      { rule: 'no-new-func', file: S, sample: "const f = new Function('return 1');" },
      { rule: 'no-restricted-syntax', file: M, sample: "win.webContents.executeJavaScript('1');" },
    ],
    note: 'Tests may use eval-like oracles.',
  },
  {
    id: 'hearth-3',
    title: 'Offline guard for the renderer (session.webRequest) with the NetworkGuard policy',
    status: 'enforced',
    tests: [
      { file: 'electron/main/decideRendererRequest.test.ts', test: 'blocks even allowed hosts in offline mode, with the offline message' },
      { file: wiring, test: 'cancels renderer requests to hosts that are not allowed (offline by default) and passes local files' },
      { file: 'electron/services/network/NetworkGuard.test.ts', test: 'blocks a host that is not allowed, before any connection is made' },
    ],
    lint: [],
    note: '',
  },
  {
    id: 'hearth-4',
    title: 'Paths from the renderer are validated',
    status: 'enforced',
    tests: [
      { file: 'electron/services/paths/validateUserPath.test.ts', test: 'refuses missing files (NOT_FOUND), folders, and symlinks to other file types' },
      { file: 'electron/services/paths/validateUserPath.test.ts', test: 'with `chosen`, accepts only files the user picked in the native dialog' },
      { file: 'electron/handlers/modelPaths.test.ts', test: 'refuse relative paths, traversal, other extensions, folders and symlinks to non-models with PATH_NOT_ALLOWED' },
    ],
    lint: [],
    note: 'models.open and models.inspect call validateUserPath; in Electron only files picked in the native dialog are accepted.',
  },
  {
    id: 'hearth-5',
    title: 'Bridge: token, Host and Origin checks; fuzzed at the HTTP level',
    status: 'enforced',
    tests: [
      { file: 'electron/bridge/BridgeServer.test.ts', test: 'refuses a rebinding Host header, for the API and static files alike' },
      { file: 'electron/bridge/BridgeServer.fuzz.test.ts', test: 'answers random raw HTTP with a well-formed JSON error or 2xx and writes nothing for rejected requests' },
    ],
    lint: [],
    note: '',
  },
];
