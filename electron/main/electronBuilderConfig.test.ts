import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * Packaging cannot run here (no Electron binaries), so the configuration is checked instead: against
 * electron-builder's own JSON schema (the one it validates with), and for the choices the issue requires.
 */
const root = path.resolve(__dirname, '..', '..');
interface BuilderConfig {
  linux: { target: string[] };
  mac: { target: string[] };
  win: { target: string[] };
  asarUnpack: string[];
  files: string[];
  extraMetadata: { main: string };
  electronFuses: Record<string, boolean>;
}
const config = parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own configuration schema", () => {
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(fs.readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    const AjvClass = ((Ajv as unknown as { default?: typeof Ajv }).default ?? Ajv) as typeof Ajv;
    const validate = new AjvClass({ strict: false, allErrors: true }).compile(schema);
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('targets AppImage and deb, dmg, and NSIS', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.mac.target).toEqual(expect.arrayContaining(['dmg']));
    expect(config.win.target).toEqual(expect.arrayContaining(['nsis']));
  });

  it('unpacks every native module from the asar and leaves GPU builds out', () => {
    for (const mod of ['node-llama-cpp', '@node-llama-cpp', 'better-sqlite3', '@lancedb', 'onnxruntime-node']) {
      expect(config.asarUnpack.some((p) => p.includes(`node_modules/${mod}/`))).toBe(true);
    }
    expect(config.files).toEqual(expect.arrayContaining(['!**/node_modules/@node-llama-cpp/*cuda*/**', '!**/node_modules/@node-llama-cpp/*vulkan*/**']));
  });

  it('flips the Electron fuses: no run-as-node, NODE_OPTIONS or --inspect; asar only, integrity-checked', () => {
    expect(config.electronFuses).toEqual(
      expect.objectContaining({
        runAsNode: false,
        enableNodeOptionsEnvironmentVariable: false,
        enableNodeCliInspectArguments: false,
        enableEmbeddedAsarIntegrityValidation: true,
        onlyLoadAppFromAsar: true,
      }),
    );
  });

  it('packages the built main, preload and renderer that package.json points at', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(config.extraMetadata.main).toBe(pkg.main);
    expect(config.files).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/renderer/**']));
    const build = fs.readFileSync(path.join(root, 'scripts', 'buildElectron.mjs'), 'utf8');
    expect(build).toContain(`outfile: '${pkg.main}'`);
    expect(build).toContain("outfile: 'dist/electron/preload.cjs'");
  });
});
