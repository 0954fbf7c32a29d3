// Layering is enforced here, not by goodwill (VS Code style): a wrong import fails `npm run lint`.
//   shared/             imports nothing of ours, and no Node/DOM/Electron
//   electron/services/  imports shared/ and other services only through their index.ts; never electron
//   electron/{main,preload,bridge,cli,handlers}  import shared/ and services
//   renderer/           imports shared/ and itself; no Node built-ins, nothing from electron/
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import path from 'node:path';

/**
 * hearth/service-boundaries: a file in electron/services/<A>/ may import another service <B> only through
 * electron/services/<B>/index.(ts|js). Resolves the relative path, so folders inside a service stay free.
 */
const serviceBoundaries = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const file = context.filename;
    const servicesRoot = path.join(context.cwd, 'electron', 'services') + path.sep;
    if (!file.startsWith(servicesRoot)) return {};
    const own = file.slice(servicesRoot.length).split(path.sep)[0];
    const root = context.cwd + path.sep;
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), source);
      if (!target.startsWith(servicesRoot)) {
        const top = target.startsWith(root) ? target.slice(root.length).split(path.sep).slice(0, 2).join('/') : '';
        if (top.startsWith('renderer') || (top.startsWith('electron/') && top !== 'electron/services')) {
          context.report({ node, message: `Services import only shared/ and other services, not ${top}/.` });
        }
        return;
      }
      const [service, ...rest] = target.slice(servicesRoot.length).split(path.sep);
      if (service === own) return;
      if (rest.length === 1 && /^index\.(js|ts)$/.test(rest[0])) return;
      context.report({ node, message: `Import the ${service} service only through its public index.ts ('…/${service}/index.js').` });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

/**
 * Electron security checklist as lint (see electron/main/SECURITY.md). `no-restricted-syntax` is set once, for
 * every file, so no later block silently replaces it; each selector names the checklist item it guards.
 */
const unsafeProperty = (name, value, why) => ({
  selector: `Property[key.name='${name}'][value.value=${value}]`,
  message: `${name}: ${value} is forbidden (${why}). See electron/main/SECURITY.md.`,
});
const securitySyntax = [
  unsafeProperty('nodeIntegration', true, 'renderers never get Node'),
  unsafeProperty('nodeIntegrationInWorker', true, 'renderers never get Node'),
  unsafeProperty('nodeIntegrationInSubFrames', true, 'renderers never get Node'),
  unsafeProperty('contextIsolation', false, 'the preload must stay isolated'),
  unsafeProperty('sandbox', false, 'every renderer is sandboxed'),
  unsafeProperty('webSecurity', false, 'same-origin policy stays on'),
  unsafeProperty('allowRunningInsecureContent', true, 'no mixed content'),
  unsafeProperty('webviewTag', true, 'no <webview>'),
  unsafeProperty('experimentalFeatures', true, 'no experimental Blink features'),
  { selector: "Property[key.name='enableBlinkFeatures']", message: 'enableBlinkFeatures is forbidden. See electron/main/SECURITY.md.' },
  { selector: "Property[key.name='allowpopups']", message: 'allowpopups is forbidden. See electron/main/SECURITY.md.' },
  {
    selector: "CallExpression[callee.property.name='openExternal']:not([arguments.0.type='Literal'])",
    message: 'shell.openExternal only with a literal URL (or a URL vetted by NavigationPolicy, with a reviewed disable comment).',
  },
  { selector: "CallExpression[callee.property.name='executeJavaScript']", message: 'executeJavaScript is forbidden: talk to the renderer through the contract.' },
  { selector: "CallExpression[callee.property.name='loadURL']", message: 'loadURL is forbidden: windows load local files only (loadFile).' },
];

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.fixtures/**', 'test-results/**', 'playwright-report/**', 'e2e/artifacts/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      'no-empty': ['error', { allowEmptyCatch: true }],
      // Electron checklist: no eval-like code anywhere (renderer, services, main).
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
      'no-restricted-syntax': ['error', ...securitySyntax],
    },
  },
  {
    // Tests may use eval-like oracles (e.g. `new Function` to check an arithmetic evaluator); product code may not.
    files: ['**/*.test.ts', '**/*.test.tsx'],
    rules: { 'no-eval': 'off', 'no-new-func': 'off', 'no-implied-eval': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, 'electron', 'react', 'react-dom'].map((name) => ({ name, message: 'shared/ is pure TypeScript + zod.' })),
          patterns: [{ group: ['**/electron/**', '**/renderer/**', '**/models/**'], message: 'shared/ imports nothing of ours.' }],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require'],
    },
  },
  {
    files: ['electron/services/**/*.ts'],
    plugins: { hearth: { rules: { 'service-boundaries': serviceBoundaries } } },
    rules: {
      'hearth/service-boundaries': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Services run in plain Node (tests, CLI): never import electron.' }],
          patterns: [{ group: ['**/renderer/**'], message: 'Services never import the renderer.' }],
        },
      ],
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, 'electron'].map((name) => ({ name, message: 'The renderer runs in a sandboxed page: no Node, no Electron.' })),
          patterns: [{ group: ['**/electron/**'], message: 'The renderer talks to the app only through the contract client (src/api.ts).' }],
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts', 'electron/bridge/**/*.ts', 'electron/cli/**/*.ts', 'electron/handlers/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/renderer/**'], message: 'The main side never imports the renderer.' }] }],
    },
  },
  {
    files: ['electron/handlers/**/*.ts', 'electron/bridge/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Handlers, the bridge and the CLI run without Electron.' }],
          patterns: [{ group: ['**/renderer/**'], message: 'The main side never imports the renderer.' }],
        },
      ],
    },
  },
);
