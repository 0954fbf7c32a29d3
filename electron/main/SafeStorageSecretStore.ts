import { safeStorage } from 'electron';
import type { SecretStore } from '../services/settings/index.js';

/** API keys sealed by the OS keychain (Keychain, DPAPI, libsecret/kwallet) through Electron's safeStorage. */
export class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'os-keychain' as const;

  /** null when the OS offers no keychain (e.g. Linux without a secret service): the caller falls back and warns. */
  static createIfAvailable(): SafeStorageSecretStore | null {
    if (!safeStorage.isEncryptionAvailable()) return null;
    if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return null;
    return new SafeStorageSecretStore();
  }

  async encrypt(plain: string): Promise<Buffer> {
    return safeStorage.encryptString(plain);
  }

  async decrypt(sealed: Buffer): Promise<string> {
    return safeStorage.decryptString(sealed);
  }
}
