import type { ReactNode } from 'react';
import { AppError } from '../../../shared/errors.js';

/** A human sentence and a way forward for each error code; the raw message stays available below. */
const ADVICE: Partial<Record<AppError['code'], string>> = {
  MODEL_NOT_LOADED: 'Load a model on the Models screen first.',
  MODEL_NOT_FOUND: 'The file has moved or was deleted. Pick it again on the Models screen.',
  MODEL_CORRUPT: 'The file is damaged or incomplete (an interrupted download?). Download it again.',
  MODEL_TOO_LARGE: 'Pick a smaller or more quantized model (e.g. Q4_K_M), or close other apps.',
  MODEL_LOAD_FAILED: 'llama.cpp could not load this model. Check that its architecture is supported.',
  INVALID_INPUT: 'Some of the values you entered are not valid.',
  CANCELLED: 'Stopped.',
  BUDGET_EXCEEDED: 'This request would go over your budget. Raise the budget on the Costs screen or wait for the next period.',
  RATE_LIMITED: 'The provider is rate-limiting requests. Hearth will retry; try again shortly.',
  PROVIDER_UNAVAILABLE: 'Hearth could not be reached. Is it still running?',
  UNAUTHORIZED: 'This page lost its access token. Open the URL printed by `npm run serve` again.',
  INTERNAL: 'Something went wrong inside Hearth. The details are in the app log.',
  NETWORK_BLOCKED: 'Hearth blocked this connection. Turn off offline mode or approve the host in Settings.',
  DOWNLOAD_FAILED: 'The download stopped. Press Download again to continue from where it stopped.',
  CHECKSUM_MISMATCH: 'The downloaded file did not match its checksum, so it was deleted. Check the sha256 and try again.',
  PATH_NOT_ALLOWED: 'That location is outside the folders Hearth may write to.',
};

export function toAppError(err: unknown): AppError {
  return err instanceof AppError ? err : new AppError('INTERNAL', err instanceof Error ? err.message : String(err));
}

export function ErrorNotice({ error, onDismiss }: { error: unknown; onDismiss?: () => void }): ReactNode {
  const e = toAppError(error);
  return (
    <div className={e.code === 'CANCELLED' ? 'notice info' : 'notice error'} role="alert" data-error-code={e.code}>
      <strong>{ADVICE[e.code] ?? 'That did not work.'}</strong>
      <div className="notice-detail">
        {e.message} <code className="muted">{e.code}</code>
      </div>
      {onDismiss && (
        <button type="button" className="ghost small" onClick={onDismiss} aria-label="Dismiss">
          ✕
        </button>
      )}
    </div>
  );
}
