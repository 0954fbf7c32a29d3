/** Loads the real preload against a fake `electron` and checks what the page can reach (checklist: no Electron APIs exposed). */
import { describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => void;
const rec = vi.hoisted(() => ({
  exposed: new Map<string, Record<string, unknown>>(),
  invoked: [] as unknown[][],
  listeners: new Map<string, Listener[]>(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => rec.exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => {
      rec.invoked.push(args);
      return { ok: true, data: null };
    },
    on: (name: string, l: Listener) => rec.listeners.set(name, [...(rec.listeners.get(name) ?? []), l]),
    removeListener: (name: string, l: Listener) => rec.listeners.set(name, (rec.listeners.get(name) ?? []).filter((x) => x !== l)),
  },
}));

await import('./preload.js');
const api = rec.exposed.get('hearth') as {
  invoke: (c: unknown, i: unknown, r: unknown) => Promise<unknown>;
  on: (l: (e: string, p: unknown) => void) => () => void;
  chooseFiles: (e?: unknown) => Promise<unknown>;
};

describe('preload (the only door from the page)', () => {
  it('exposes one object with three functions and no Electron/Node objects', () => {
    expect([...rec.exposed.keys()]).toEqual(['hearth']);
    expect(Object.keys(api).sort()).toEqual(['chooseFiles', 'invoke', 'on']);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
  });

  it('forwards only contract channels; others are refused before reaching main', async () => {
    await expect(api.invoke('app.info', {}, 'r1')).resolves.toEqual({ ok: true, data: null });
    expect(rec.invoked.at(-1)).toEqual(['hearth:invoke', 'app.info', {}, 'r1']);
    const before = rec.invoked.length;
    for (const channel of ['hearth:choose-files', 'fs.readFile', '__proto__', 42, undefined]) {
      await expect(api.invoke(channel, {}, 'r')).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
    expect(rec.invoked.length).toBe(before);
  });

  it('delivers only contract events and can unsubscribe', () => {
    const got: string[] = [];
    const off = api.on((e) => got.push(e));
    const [wrapped] = rec.listeners.get('hearth:event')!;
    wrapped!({}, 'llm.token', {});
    wrapped!({}, 'not.an.event', {});
    expect(got).toEqual(['llm.token']);
    off();
    expect(rec.listeners.get('hearth:event')).toEqual([]);
  });
});
