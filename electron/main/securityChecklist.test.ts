import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { SECURITY_CHECKLIST } from './securityChecklist.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const securityMd = readFileSync(path.join(root, 'electron', 'main', 'SECURITY.md'), 'utf8');

describe('the Electron security checklist', () => {
  it('covers all 20 items of Electron’s checklist, in order', () => {
    const electronItems = SECURITY_CHECKLIST.filter((i) => /^\d+$/.test(i.id)).map((i) => Number(i.id));
    expect(electronItems).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('names, for every enforced item, at least one test or lint rule', () => {
    for (const item of SECURITY_CHECKLIST) {
      if (item.status === 'enforced') expect(item.tests.length + item.lint.length, item.title).toBeGreaterThan(0);
      else expect(item.note.length, `${item.title} needs a note explaining the ${item.status}`).toBeGreaterThan(40);
    }
  });

  it('points only at tests that exist, by file and exact title', () => {
    for (const item of SECURITY_CHECKLIST) {
      for (const ref of item.tests) {
        const file = path.join(root, ref.file);
        expect(existsSync(file), `${item.id}: ${ref.file}`).toBe(true);
        const src = readFileSync(file, 'utf8');
        const quoted = [`'${ref.test}'`, `"${ref.test}"`, `\`${ref.test}\``];
        expect(quoted.some((q) => src.includes(q)), `${item.id}: "${ref.test}" in ${ref.file}`).toBe(true);
      }
    }
  });

  it('has a lint rule that really rejects each forbidden pattern', async () => {
    const eslint = new ESLint({ cwd: root });
    for (const item of SECURITY_CHECKLIST) {
      for (const ref of item.lint) {
        const [result] = await eslint.lintText(ref.sample, { filePath: path.join(root, ref.file) });
        const rules = result!.messages.map((m) => m.ruleId);
        expect(rules, `${item.id}: ${ref.sample}`).toContain(ref.rule);
      }
    }
    // and the secure values themselves lint clean
    const [clean] = await eslint.lintText('export const p = { nodeIntegration: false, contextIsolation: true, sandbox: true, webSecurity: true };\n', {
      filePath: path.join(root, 'electron/main/x.ts'),
    });
    expect(clean!.messages).toEqual([]);
  }, 150_000);

  it('is mirrored by SECURITY.md (every item, status and referenced test file)', () => {
    for (const item of SECURITY_CHECKLIST) {
      const row = securityMd.split('\n').find((l) => l.startsWith(`| ${item.id} |`));
      expect(row, `SECURITY.md row for ${item.id}`).toBeDefined();
      expect(row).toContain(item.title);
      expect(row).toContain(item.status);
      for (const ref of item.tests) expect(row, `${item.id} mentions ${ref.file}`).toContain(path.basename(ref.file));
      for (const ref of item.lint) expect(row, `${item.id} mentions ${ref.rule}`).toContain(ref.rule);
    }
  });

  it('pins a supported Electron major', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const declared = Number(/\d+/.exec(pkg.devDependencies.electron ?? '')?.[0]);
    const installed = JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string };
    // Floor raised with each upgrade: Electron supports only its latest three majors.
    expect(declared).toBeGreaterThanOrEqual(38);
    expect(Number(installed.version.split('.')[0])).toBe(declared);
  });
});
