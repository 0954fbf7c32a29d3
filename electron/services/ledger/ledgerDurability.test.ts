import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { LedgerStore } from './LedgerStore.js';

const here = dirname(fileURLToPath(import.meta.url));

it('survives SIGKILL mid-write: every reported commit is intact and the DB passes integrity_check', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-kill-'));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'ledgerDurabilityChild.ts'), dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killedAt = 0;
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const closed = new Promise<{ signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (_code, signal) => resolve({ signal })),
    );
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // lines arrive in commit order, so the number of complete lines is the last reported count
      if (killedAt === 0 && (out.match(/\n/g)?.length ?? 0) >= 400) {
        killedAt = Date.now();
        child.kill('SIGKILL');
      }
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const { signal } = await closed;
    clearTimeout(guard);
    expect(err).toBe('');
    expect(signal).toBe('SIGKILL');
    expect(killedAt).toBeGreaterThan(0);
    const reported = Math.max(...[...out.matchAll(/committed (\d+)/g)].map((m) => Number(m[1])));
    expect(reported).toBeGreaterThanOrEqual(400);

    const store = await LedgerStore.open({ dataDir: dir });
    try {
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const count = store.count();
      // A kill can land between a COMMIT and its "committed" line, so the DB may hold exactly one
      // row more than reported — never fewer, never a partial row.
      expect(count - reported).toBeGreaterThanOrEqual(0);
      expect(count - reported).toBeLessThanOrEqual(1);
      const rows = store.db.prepare('SELECT request_id, prompt_tokens, completion_tokens FROM llm_requests ORDER BY ts').all() as {
        request_id: string;
        prompt_tokens: number;
        completion_tokens: number;
      }[];
      rows.forEach((r, k) => expect(r).toEqual({ request_id: `r${k + 1}`, prompt_tokens: k + 1, completion_tokens: 2 * (k + 1) }));
      // rollups were committed in the same transactions
      expect(store.analytics.byUser({ limit: 100 })).toEqual(store.analytics.byUser({ limit: 100, source: 'raw' }));
      expect(store.analytics.byDay().reduce((s, d) => s + d.requests, 0)).toBe(count);
    } finally {
      store.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);
