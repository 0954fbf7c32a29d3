import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../bridge/BridgeServer.js';
import { SECURE_WEB_PREFERENCES } from './secureWebPreferences.js';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0] !== '')
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('SECURE_WEB_PREFERENCES', () => {
  it('isolates, sandboxes and strips Node from every renderer', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    expect(SECURE_WEB_PREFERENCES).not.toHaveProperty('enableBlinkFeatures');
    expect(SECURE_WEB_PREFERENCES).not.toHaveProperty('preload'); // added per window, never widened
  });

  it('is what createMainWindow passes, with nothing overriding it but the preload path', async () => {
    const src = await readFile(new URL('./createMainWindow.ts', import.meta.url), 'utf8');
    expect(src).toMatch(/webPreferences:\s*\{\s*\.\.\.SECURE_WEB_PREFERENCES,\s*preload:\s*options\.preload\s*\}/);
    expect(src.match(/webPreferences:/g)).toHaveLength(1);
    expect(src).toContain('loadFile(');
    expect(src).not.toContain('loadURL(');
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const csp = directives(CONTENT_SECURITY_POLICY);
  it('loads scripts and connections only from the app itself', () => {
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
  });
  it('never allows eval, inline script, remote hosts or wildcards', () => {
    const all = [...csp.values()].flat();
    expect(all).not.toContain("'unsafe-eval'");
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
    expect(all.filter((v) => /^(https?:|\*|ws)/.test(v))).toEqual([]);
  });
});
