import { useCallback, useState } from 'react';

export type SaveStatus = { state: 'idle' } | { state: 'saving' } | { state: 'saved'; at: number } | { state: 'error'; error: unknown };

/** One save button's state: saving, saved (with time), or the typed error; `run` never throws. */
export function useSave(): { status: SaveStatus; run: (action: () => Promise<unknown>) => Promise<boolean>; reset: () => void } {
  const [status, setStatus] = useState<SaveStatus>({ state: 'idle' });
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setStatus({ state: 'saving' });
    try {
      await action();
      setStatus({ state: 'saved', at: Date.now() });
      return true;
    } catch (error) {
      setStatus({ state: 'error', error });
      return false;
    }
  }, []);
  return { status, run, reset: useCallback(() => setStatus({ state: 'idle' }), []) };
}
