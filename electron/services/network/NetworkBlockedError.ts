import { AppError } from '../../../shared/errors.js';

/** The offline guard refused a connection: the host is not an enabled provider or an approved download host. */
export class NetworkBlockedError extends AppError {
  constructor(readonly host: string, readonly reason: 'offline' | 'not-allowed' | 'bad-url') {
    super(
      'NETWORK_BLOCKED',
      reason === 'offline'
        ? `Hearth is in offline mode, so the connection to ${host} was blocked. Turn off offline mode in Settings to use cloud providers.`
        : reason === 'bad-url'
          ? `"${host}" is not a URL Hearth may connect to.`
          : `Hearth blocked a connection to ${host}: it is not an enabled provider or an approved download host.`,
      { details: { host, reason } },
    );
  }
}
